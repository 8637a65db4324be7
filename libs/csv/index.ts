export * from './csv-reader';
export * from './csv-writer';
export * from './import-report';
