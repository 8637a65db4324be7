export * from './notice-periods';
