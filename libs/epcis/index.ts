export * from './event-hash';
export * from './epcis-document';
export * from './digital-link-canonical';
