import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  ed25519KeyId, ed25519RawPublicKey, ed25519Sign, ed25519Verify, generateEd25519PrivateKeyPem, KeyFormatError,
  parseEd25519PrivateKey, parseEd25519PublicKey,
} from './ed25519';

// RFC 8032 §7.1, test 1.
const SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const PUBLIC = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const SIGNATURE_OF_EMPTY = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('Ed25519 keys', () => {
  it('reads a base64 seed as RFC 8032 does (public key and signature of the test vector)', () => {
    const key = parseEd25519PrivateKey(SEED.toString('base64'));
    expect(ed25519RawPublicKey(key)).toEqual(PUBLIC);
    expect(Buffer.from(ed25519Sign(key, Buffer.alloc(0)), 'base64').toString('hex')).toBe(SIGNATURE_OF_EMPTY);
    expect(ed25519Verify(parseEd25519PublicKey(PUBLIC.toString('base64')), Buffer.alloc(0), Buffer.from(SIGNATURE_OF_EMPTY, 'hex').toString('base64'))).toBe(true);
  });

  it('reads PEM keys; a private PEM gives its public half; key ids match', () => {
    const pem = generateEd25519PrivateKeyPem();
    const privateKey = parseEd25519PrivateKey(pem);
    const publicPem = parseEd25519PublicKey(pem).export({ format: 'pem', type: 'spki' }).toString();
    const publicKey = parseEd25519PublicKey(publicPem);
    expect(ed25519KeyId(publicKey)).toBe(ed25519KeyId(privateKey));
    expect(ed25519KeyId(parseEd25519PrivateKey(pem.trim().replace(/\n/g, '\\n')))).toBe(ed25519KeyId(privateKey));
    expect(ed25519KeyId(privateKey)).toMatch(/^[0-9a-f]{16}$/);
    const message = Buffer.from('{"seq":1}');
    const signature = ed25519Sign(privateKey, message);
    expect(ed25519Verify(publicKey, message, signature)).toBe(true);
    expect(ed25519Verify(publicKey, Buffer.from('{"seq":2}'), signature)).toBe(false);
    expect(ed25519Verify(parseEd25519PublicKey(PUBLIC.toString('base64')), message, signature)).toBe(false);
  });

  it('refuses other key types and wrong lengths with a KeyFormatError', () => {
    expect(() => parseEd25519PrivateKey(Buffer.alloc(16).toString('base64'))).toThrow('must decode to 32 bytes, got 16');
    expect(() => parseEd25519PrivateKey('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----')).toThrow(KeyFormatError);
    expect(() => parseEd25519PublicKey('not base64!')).toThrow(KeyFormatError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parseEd25519PrivateKey(ec, 'AUDIT_SIGNING_KEY')).toThrow('AUDIT_SIGNING_KEY must be an Ed25519 key, got ec');
  });

  it('any text is a key or a KeyFormatError, never another error', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.base64String(), fc.string().map((s) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----`)), (text) => {
      for (const parse of [parseEd25519PrivateKey, parseEd25519PublicKey]) {
        try {
          parse(text);
        } catch (error) {
          expect(error).toBeInstanceOf(KeyFormatError);
        }
      }
    }));
  });

  it('a signature that is not 64 bytes does not verify (and does not throw)', () => {
    const key = parseEd25519PrivateKey(SEED.toString('base64'));
    expect(ed25519Verify(key, Buffer.alloc(0), 'AAAA')).toBe(false);
  });
});
