import fc from 'fast-check';
import { isDomainError } from '../../../../libs/errors';
import { entryVerdict } from './entry-verdict';
import { normalizePlate, sellerRetainUntil, traceCodeIn } from './gate-input';

describe('market gate input', () => {
  it('reads a trace code from our URL or from a typed code', () => {
    expect(traceCodeIn('https://trace.example.cn/t/742B4XNBN9ZD3')).toBe('742B4XNBN9ZD3');
    expect(traceCodeIn('742b-4xnb-n9zd3')).toBe('742B4XNBN9ZD3');
    expect(traceCodeIn('https://trace.example.cn/c/1a2B3c4D5e6F7g8H9i0J1k')).toBeNull();
    expect(traceCodeIn('510131-20261127-00042')).toBeNull();
  });

  it('normalises plates and refuses anything else naming the field', () => {
    expect(normalizePlate(' 川a·12345 ')).toBe('川A12345');
    expect(normalizePlate('川AD12345')).toBe('川AD12345');
    expect(() => normalizePlate('ABC123')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: 'vehiclePlate', rule: 'vehicle_plate' } }));
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        normalizePlate(s);
      } catch (error) {
        expect(isDomainError(error)).toBe(true);
      }
    }));
    fc.assert(fc.property(fc.string(), (s) => {
      const code = traceCodeIn(s);
      expect(code === null || /^[0-9A-HJKMNP-TV-Z]{13}$/.test(code)).toBe(true);
    }));
  });

  it('keeps a seller file at least the retention months after the seller stops', () => {
    expect(sellerRetainUntil('2026-05-10', 6)).toBe('2026-11-10');
    expect(sellerRetainUntil('2026-08-31', 6)).toBe('2027-02-28');
  });

  it('sums an entry from its lots', () => {
    const cert = { proof: 'certificate' as const, outcome: 'accepted' as const, refusalCode: null };
    const voucher = { proof: 'other_proof' as const, outcome: 'accepted' as const, refusalCode: null };
    const refused = { proof: 'certificate' as const, outcome: 'refused' as const, refusalCode: 'CERTIFICATE_VOIDED' as const };
    expect(entryVerdict([cert])).toEqual({ status: 'accepted', verified: true, refused: 0 });
    expect(entryVerdict([cert, voucher])).toEqual({ status: 'accepted', verified: false, refused: 0 });
    expect(entryVerdict([cert, refused])).toEqual({ status: 'partially_refused', verified: true, refused: 1 });
    expect(entryVerdict([refused])).toEqual({ status: 'refused', verified: false, refused: 1 });
  });
});
