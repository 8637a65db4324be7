import { decryptSecret, encryptSecret, generateWebhookSecret, signBody, verifySignature } from './webhook-crypto';

const KEY = 'test-secret-key-0123456789-0123456789';

describe('webhook secrets and signatures', () => {
  it('encrypts a secret so only the same SECRET_KEY decrypts it, never in the clear', () => {
    const secret = generateWebhookSecret();
    const stored = encryptSecret(KEY, secret);
    expect(stored).not.toContain(secret.slice(6));
    expect(encryptSecret(KEY, secret)).not.toBe(stored); // fresh IV each time
    expect(decryptSecret(KEY, stored)).toBe(secret);
    expect(() => decryptSecret('another-secret-key-0123456789-0123', stored)).toThrow();
    const [v, iv, tag, data] = stored.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => decryptSecret(KEY, [v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('signs the raw body with HMAC-SHA256 and verifies it in constant time', () => {
    const body = JSON.stringify({ kind: 'batch.recalled', subject: '批次' });
    const sig = signBody('whsec_x', body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_x', body, sig)).toBe(true);
    expect(verifySignature('whsec_y', body, sig)).toBe(false);
    expect(verifySignature('whsec_x', body + ' ', sig)).toBe(false);
    expect(verifySignature('whsec_x', body, undefined)).toBe(false);
    expect(verifySignature('whsec_x', body, 'sha256=00')).toBe(false);
  });
});
