export * from './uscc';
export * from './id-number';
export * from './gtin';
export * from './gln';
export * from './gs1-set82';
export * from './lot-code';
export * from './digital-link';
export * from './trace-code';
