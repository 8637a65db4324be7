import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';

/**
 * Ed25519 keys as people hand them over: a PEM file (PKCS#8 private, SPKI public) or the raw
 * 32 bytes in base64 (`openssl rand -base64 32` makes a private seed). node:crypto does the
 * signing; this only turns text into KeyObjects and names keys.
 */

// DER headers that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI), RFC 8410.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class KeyFormatError extends Error {}

function rawBytes(text: string, what: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new KeyFormatError(`${what} must be a PEM block or the raw 32 bytes in base64`);
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) throw new KeyFormatError(`${what} in base64 must decode to 32 bytes, got ${bytes.length}`);
  return bytes;
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFormatError(`${what} must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  return key;
}

function fromPem<T>(make: (pem: string) => T, text: string, what: string): T {
  try {
    // Env files often hold a PEM on one line with literal \n separators.
    return make(text.replace(/\\n/g, '\n'));
  } catch (error) {
    throw new KeyFormatError(`${what} is not a readable PEM key (${(error as Error).message})`);
  }
}

/** A private key: PKCS#8 PEM, or a base64 32-byte seed. */
export function parseEd25519PrivateKey(text: string, what = 'the key'): KeyObject {
  if (text.includes('-----BEGIN')) return requireEd25519(fromPem(createPrivateKey, text, what), what);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, rawBytes(text, what)]), format: 'der', type: 'pkcs8' });
}

/** A public key: SPKI PEM (a private PEM gives its public half), or the base64 raw 32 bytes. */
export function parseEd25519PublicKey(text: string, what = 'the public key'): KeyObject {
  if (text.includes('-----BEGIN')) return requireEd25519(fromPem(createPublicKey, text, what), what);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawBytes(text, what)]), format: 'der', type: 'spki' });
}

/** A new private key as PKCS#8 PEM (what a generated key file holds). */
export function generateEd25519PrivateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function ed25519PublicKeyOf(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** The raw 32 bytes of the public key. */
export function ed25519RawPublicKey(key: KeyObject): Buffer {
  return ed25519PublicKeyOf(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** A short, stable name for a key: the first 16 hex digits of sha256 over its raw public key. */
export function ed25519KeyId(key: KeyObject): string {
  return createHash('sha256').update(ed25519RawPublicKey(key)).digest('hex').slice(0, 16);
}

export function ed25519Sign(privateKey: KeyObject, message: Buffer): string {
  return sign(null, message, privateKey).toString('base64');
}

export function ed25519Verify(publicKey: KeyObject, message: Buffer, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  return verify(null, message, ed25519PublicKeyOf(publicKey), signature);
}
