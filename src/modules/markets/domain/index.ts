// Pure rules of markets that other features may use (the console's gate page reads what was scanned).
export { traceCodeIn, normalizePlate } from './gate-input';
export { entryVerdict } from './entry-verdict';
export type { EntryStatus, ItemProof } from './entry-verdict';
