export * from './event-hash';
export * from './epcis-document';
