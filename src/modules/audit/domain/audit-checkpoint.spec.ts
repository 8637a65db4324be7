import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { parseEd25519PrivateKey } from '../../../../libs/signing';
import { checkCheckpointSignature, checkpointMessage, parseCheckpoint, signCheckpoint } from './audit-checkpoint';

const KEY = parseEd25519PrivateKey(Buffer.alloc(32, 1).toString('base64'));
const HEAD = { seq: 42, hash: 'ab'.repeat(32) };
const AT = new Date('2026-12-04T02:00:00.012Z');

describe('audit checkpoints', () => {
  it('signs sorted, space-free JSON of the head, the time and the key id', () => {
    const checkpoint = signCheckpoint(KEY, HEAD, AT);
    expect(checkpointMessage(checkpoint).toString()).toBe(
      `{"at":"2026-12-04T02:00:00.012Z","hash":"${HEAD.hash}","keyId":"${checkpoint.keyId}","seq":42,"type":"tianfu-trace/audit-checkpoint/v1"}`,
    );
    expect(checkCheckpointSignature(checkpoint, KEY)).toBe('valid');
  });

  it('any changed field breaks the signature; another key is told apart', () => {
    const checkpoint = signCheckpoint(KEY, HEAD, AT);
    expect(checkCheckpointSignature({ ...checkpoint, seq: 43 }, KEY)).toBe('invalid');
    expect(checkCheckpointSignature({ ...checkpoint, hash: 'cd'.repeat(32) }, KEY)).toBe('invalid');
    expect(checkCheckpointSignature({ ...checkpoint, at: '2026-12-04T02:00:00.013Z' }, KEY)).toBe('invalid');
    expect(checkCheckpointSignature(checkpoint, generateKeyPairSync('ed25519').publicKey)).toBe('other_key');
  });

  it('parses what it signs and names the bad field otherwise', () => {
    const checkpoint = signCheckpoint(KEY, HEAD, AT);
    expect(parseCheckpoint(JSON.parse(JSON.stringify(checkpoint)))).toEqual(checkpoint);
    expect(() => parseCheckpoint({ ...checkpoint, seq: '42' })).toThrow('checkpoint.seq must be a whole number');
    expect(() => parseCheckpoint({ ...checkpoint, hash: 'AB'.repeat(32) })).toThrow('checkpoint.hash');
    expect(() => parseCheckpoint({ ...checkpoint, signature: 'abc' })).toThrow('checkpoint.signature');
    expect(() => parseCheckpoint([checkpoint])).toThrow('must be a JSON object');
  });

  it('any JSON value is a checkpoint or an INVALID_CHECKPOINT error, never a crash', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ seq: fc.jsonValue(), hash: fc.jsonValue(), at: fc.jsonValue(), keyId: fc.jsonValue(), signature: fc.jsonValue() })), (value) => {
      try {
        parseCheckpoint(value);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('INVALID_CHECKPOINT');
      }
    }));
  });
});
