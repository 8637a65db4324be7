import { EVIDENCE_MAX_BYTES, evidenceProblem } from './disposal-rules';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const b64 = (b: Buffer) => b.toString('base64');

describe('evidence files', () => {
  it.each([
    ['a PNG', 'image/png', png, undefined],
    ['an unknown type', 'text/html', png, 'type'],
    ['bytes that are not the declared type', 'image/jpeg', png, 'signature'],
    ['an empty file', 'image/png', Buffer.alloc(0), 'encoding'],
    ['a file over the limit', 'application/pdf', Buffer.concat([Buffer.from('%PDF'), Buffer.alloc(EVIDENCE_MAX_BYTES)]), 'size'],
  ])('%s → %s', (_name, type, bytes, rule) => {
    expect(evidenceProblem(type, b64(bytes), bytes)?.rule).toBe(rule);
  });

  it('refuses text that is not base64', () => {
    expect(evidenceProblem('image/png', '<script>', png)?.rule).toBe('encoding');
  });
});
