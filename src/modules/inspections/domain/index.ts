export * from './checklist';
export * from './deadlines';
export * from './photos';
export * from './frequency';
