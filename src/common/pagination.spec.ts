import fc from 'fast-check';
import { isDomainError } from '../../libs/errors';
import { cursorCodec, CursorCodec, KeysetPosition, SortKind } from './pagination';

const instant = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());
const day = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T00:00:00.000Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const count = fc.maxSafeInteger().filter((n) => n >= 0);
const uuid = fc.uuid();

const positions: { [K in SortKind]: fc.Arbitrary<KeysetPosition<K>> } = {
  instant: fc.record({ sort: instant, id: uuid }),
  date: fc.record({ sort: day, id: uuid }),
  seq: fc.record({ sort: count }),
  offset: fc.record({ sort: count }),
};
const KINDS = Object.keys(positions) as SortKind[];
const listName = fc.stringMatching(/^[a-z][a-z-]{0,23}$/);

/**
 * What decode does with a non-empty `cursor` (empty is the first page): a position, or the error code
 * it threw (anything but INVALID_CURSOR fails the test).
 */
function outcome<K extends SortKind>(codec: CursorCodec<K>, cursor: string): KeysetPosition<K> | 'INVALID_CURSOR' | 'first page' {
  try {
    return codec.decode(cursor) ?? 'first page';
  } catch (error) {
    if (isDomainError(error) && error.code === 'INVALID_CURSOR') return 'INVALID_CURSOR';
    throw error;
  }
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('the cursor codec (one scheme for every list)', () => {
  it.each(KINDS)('round-trips every %s position', (kind) => {
    fc.assert(fc.property(listName, positions[kind] as fc.Arbitrary<KeysetPosition<SortKind>>, (list, position) => {
      const codec = cursorCodec(list, kind);
      expect(codec.decode(codec.encode(position as never))).toEqual(position);
    }));
  });

  it('takes no cursor as the first page', () => {
    expect(cursorCodec('products', 'instant').decode(undefined)).toBeUndefined();
    expect(cursorCodec('products', 'instant').decode('')).toBeUndefined();
  });

  it('refuses a cursor of another list, or of another sort kind, with INVALID_CURSOR', () => {
    fc.assert(fc.property(listName, listName, fc.constantFrom(...KINDS), fc.constantFrom(...KINDS), fc.oneof(...Object.values(positions) as fc.Arbitrary<KeysetPosition<SortKind>>[]),
      (listA, listB, kindA, kindB, position) => {
        fc.pre(listA !== listB || kindA !== kindB);
        fc.pre(Object.keys(position).length === (kindA === 'instant' || kindA === 'date' ? 2 : 1));
        const a = cursorCodec(listA, kindA);
        let cursor: string;
        try {
          cursor = a.encode(position as never);
        } catch {
          return;
        }
        // Only a cursor that decodes under A (its position has A's kind) is a real cursor of A.
        fc.pre(typeof outcome(a, cursor) === 'object');
        expect(outcome(cursorCodec(listB, kindB), cursor)).toBe('INVALID_CURSOR');
      }));
  });

  it('answers any other string with INVALID_CURSOR, never another error', () => {
    const codec = cursorCodec('events', 'instant');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (cursor) => {
      const got = outcome(codec, cursor);
      if (typeof got === 'object') expect(codec.encode(got)).toBe(cursor);
      else if (got === 'first page') expect(cursor).toBe('');
    }));
  });

  it('answers any base64url JSON that encode did not write with INVALID_CURSOR', () => {
    const codecs = KINDS.map((kind) => cursorCodec('dashboard-batches', kind));
    const parts = fc.oneof(fc.jsonValue(), fc.constantFrom('dashboard-batches', ...KINDS), instant, day, uuid, count, fc.double());
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.array(parts, { maxLength: 5 })), (value) => {
      const cursor = b64(value);
      for (const codec of codecs) {
        const got = outcome(codec, cursor);
        if (typeof got === 'object') expect(codec.encode(got as never)).toBe(cursor);
        else if (got === 'first page') expect(cursor).toBe('');
      }
    }));
  });

  it('refuses near-misses: non-canonical base64, out-of-range values, the old cursor formats', () => {
    const instants = cursorCodec('products', 'instant');
    const good = instants.encode({ sort: '2026-03-01T08:00:00.000Z', id: '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70' });
    const seqs = cursorCodec('audit', 'seq');
    const dates = cursorCodec('dashboard-failed-samples', 'date');
    for (const [codec, cursor] of [
      [instants, `${good}=`], [instants, `${good}.`], [instants, good.slice(0, -1)],
      [instants, b64(['products', 'instant', '2026-02-30T00:00:00.000Z', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70'])],
      [instants, b64(['products', 'instant', '2026-03-01T08:00:00.000Z', 'x'])],
      [instants, b64(['2026-01-01T00:00:00.000Z', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70'])],
      [seqs, b64('audit:12')], [seqs, b64(['audit', 'seq', -1])], [seqs, b64(['audit', 'seq', 1.5])], [seqs, b64(['audit', 'seq', 2 ** 53])],
      [seqs, b64(['audit', 'seq', '12'])], [dates, b64(['dashboard-failed-samples', 'date', '2026-02-29', '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70'])],
      [cursorCodec('limits', 'offset'), b64('o:50')],
    ] as [CursorCodec<SortKind>, string][]) {
      expect(outcome(codec, cursor)).toBe('INVALID_CURSOR');
    }
  });

  it('names the parameter in the error (events take nextPageToken)', () => {
    expect(() => cursorCodec('events', 'instant').decode('nope', 'nextPageToken')).toThrow(expect.objectContaining({
      code: 'INVALID_CURSOR', details: { field: 'nextPageToken', rule: 'format' },
    }));
  });
});
