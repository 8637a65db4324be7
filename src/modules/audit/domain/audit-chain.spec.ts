import fc from 'fast-check';
import { AuditContent, canonicalJson, ChainedEntry, ChainVerifier, entryHash, GENESIS_HASH, rowDigest } from './audit-chain';

function content(i: number, extra: Partial<AuditContent> = {}): AuditContent {
  return {
    at: new Date(Date.UTC(2026, 10, 27, 4, 0, i)).toISOString(), actorKind: 'org_admin', actorId: `key-${i}`, actorOrgId: null,
    action: 'batches.update', subjectType: 'batches', subjectId: `b-${i}`, organizationId: null, regionCode: '510131',
    beforeDigest: null, afterDigest: rowDigest({ i }), details: i % 2 ? { reason: `原因 ${i}` } : null, ...extra,
  };
}

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content(i);
    const hash = entryHash(prev, c);
    out.push({ ...c, seq: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

async function verify(entries: ChainedEntry[]) {
  const v = new ChainVerifier();
  const locate = async (hash: string) => entries.find((e) => e.hash === hash)?.seq ?? null;
  // Fed in chunks, as the database reader does.
  for (let i = 0; i < entries.length; i += 3) await v.feed(entries.slice(i, i + 3), locate);
  return v.result();
}

describe('audit hash chain', () => {
  it('canonical JSON sorts keys at every level and is stable', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(rowDigest({ x: 1, y: 2 })).toBe(rowDigest({ y: 2, x: 1 }));
    expect(rowDigest(null)).toBeNull();
  });

  it('an intact chain verifies, with its head', async () => {
    const entries = chain(10);
    expect(await verify(entries)).toEqual({ valid: true, checked: 10, head: { seq: 10, hash: entries[9].hash }, firstBreak: null });
    expect(await verify([])).toEqual({ valid: true, checked: 0, head: null, firstBreak: null });
  });

  it('finds an altered entry', async () => {
    const entries = chain(10);
    entries[4] = { ...entries[4], details: { reason: 'forged' } };
    expect((await verify(entries)).firstBreak).toMatchObject({ seq: 5, kind: 'altered' });
  });

  it('finds a removed entry (gap), also at the start', async () => {
    expect((await verify(chain(10).filter((e) => e.seq !== 6))).firstBreak).toMatchObject({ seq: 6, kind: 'removed' });
    expect((await verify(chain(10).slice(1))).firstBreak).toMatchObject({ seq: 1, kind: 'removed' });
  });

  it('finds entries removed and renumbered', async () => {
    const entries = chain(10).filter((e) => e.seq !== 6).map((e) => (e.seq > 6 ? { ...e, seq: e.seq - 1 } : e));
    expect((await verify(entries)).firstBreak).toMatchObject({ seq: 6, kind: 'removed' });
  });

  it('finds reordered entries', async () => {
    const entries = chain(10);
    const [a, b] = [entries[3], entries[4]];
    entries[3] = { ...b, seq: 4 };
    entries[4] = { ...a, seq: 5 };
    expect((await verify(entries)).firstBreak).toMatchObject({ seq: 4, kind: 'reordered' });
  });

  it('checks only what follows a known-good entry when given one', async () => {
    const entries = chain(10);
    const v = new ChainVerifier({ seq: 6, hash: entries[5].hash });
    await v.feed(entries.slice(6), async () => null);
    expect(v.result()).toEqual({ valid: true, checked: 4, head: { seq: 10, hash: entries[9].hash }, firstBreak: null });
    const unchanged = new ChainVerifier({ seq: 10, hash: entries[9].hash });
    expect(unchanged.result()).toEqual({ valid: true, checked: 0, head: { seq: 10, hash: entries[9].hash }, firstBreak: null });
    const wrongStart = new ChainVerifier({ seq: 6, hash: entries[4].hash });
    await wrongStart.feed(entries.slice(6), async (hash) => entries.find((e) => e.hash === hash)?.seq ?? null);
    expect(wrongStart.result().firstBreak).toMatchObject({ seq: 7, kind: 'broken_link' });
  });

  it('any single-field change to any entry is found at that entry', async () => {
    const fields = ['at', 'actorKind', 'actorId', 'action', 'subjectType', 'subjectId', 'regionCode', 'afterDigest', 'prevHash', 'hash'] as const;
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 7 }), fc.constantFrom(...fields), fc.string({ minLength: 1 }), async (index, field, value) => {
      const entries = chain(8);
      fc.pre(entries[index][field] !== value);
      entries[index] = { ...entries[index], [field]: value };
      const result = await verify(entries);
      expect(result.valid).toBe(false);
      expect(result.firstBreak!.seq).toBe(index + 1);
    }));
  });
});
