import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { amountOf, Quantity } from '../../../../libs/quantity';
import { formatCertificateNumber, normalizeCertificateNumber, parseCertificateReference } from './certificate-ids';
import { certifiedQuantity, checkIssueDate, fromBaseMilli, retainUntil, toBaseMilli } from './issuing';
import { TEMPLATES } from './templates';
import { todayInChina } from '../../../common/dates';

const NONE = amountOf({ value: '0', unit: 'kg' });

describe('certificate quantities', () => {
  const batch: Quantity = { value: '1200.5', unit: 'kg' };

  it('defaults to what is left, in the batch unit', () => {
    const issued = amountOf({ value: '200', unit: 'kg' });
    expect(certifiedQuantity(undefined, batch, issued).quantity).toEqual({ value: '1000.5', unit: 'kg' });
  });

  it('accepts other mass units, exactly up to the last gram', () => {
    const asked: Quantity = { value: '2401', unit: '斤' };
    expect(certifiedQuantity(asked, batch, NONE).amount).toEqual(amountOf({ value: '1200.5', unit: 'kg' }));
    const over: Quantity = { value: '1200501', unit: 'g' };
    expect(() => certifiedQuantity(over, batch, NONE)).toThrow(expect.objectContaining({ code: 'QUANTITY_EXCEEDS_BATCH' }));
  });

  it('refuses a count unit against a weighed batch, and reports what is left', () => {
    const boxes: Quantity = { value: '3', unit: '箱' };
    expect(() => certifiedQuantity(boxes, batch, NONE)).toThrow(expect.objectContaining({ code: 'QUANTITY_UNIT_MISMATCH' }));
    const asked: Quantity = { value: '300', unit: 'kg' };
    try {
      certifiedQuantity(asked, batch, amountOf({ value: '1000', unit: 'kg' }));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as DomainError).details).toMatchObject({ remaining: { value: '200.5', unit: 'kg' } });
    }
  });

  it('stores amounts as they always were: thousandths of a gram, or of the counted unit', () => {
    expect(toBaseMilli(amountOf({ value: '1200.5', unit: 'kg' }))).toBe('1200500000');
    expect(toBaseMilli(amountOf({ value: '3', unit: '斤' }))).toBe('1500000');
    expect(toBaseMilli(amountOf({ value: '2.5', unit: '箱' }))).toBe('2500');
    expect(fromBaseMilli('1500000', 'mass')).toEqual(amountOf({ value: '1.5', unit: 'kg' }));
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.constantFrom('mass', '箱', '头') as fc.Arbitrary<'mass' | '箱' | '头'>, (milli, dimension) => {
      expect(toBaseMilli(fromBaseMilli(String(milli), dimension))).toBe(String(milli));
    }));
  });

  it('never lets certificates add up to more than the batch (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 500_000 }), { maxLength: 20 }), (grams) => {
      let issued = NONE;
      for (const g of grams) {
        const asked: Quantity = { value: String(g), unit: 'g' };
        try {
          const { amount } = certifiedQuantity(asked, batch, issued);
          issued = { ...issued, value: issued.value.plus(amount.value) };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      }
      return issued.value.lte(amountOf(batch).value);
    }));
  });
});

describe('issue dates and retention', () => {
  it('uses the China calendar day', () => {
    expect(todayInChina(Date.parse('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
    expect(todayInChina(Date.parse('2026-11-27T15:30:00Z'))).toBe('2026-11-27');
  });

  it('accepts a template only within its period, and never before production or in the future', () => {
    const t2026 = TEMPLATES['2026'];
    expect(() => checkIssueDate(t2026, '2026-11-27', '2026-11-01', '2026-11-27')).not.toThrow();
    expect(() => checkIssueDate(t2026, '2026-01-31', '2026-01-01', '2026-11-27')).toThrow(expect.objectContaining({ code: 'TEMPLATE_NOT_IN_FORCE' }));
    expect(() => checkIssueDate(TEMPLATES['2023-four-basis'], '2026-02-01', '2026-01-01', '2026-11-27')).toThrow(expect.objectContaining({ code: 'TEMPLATE_NOT_IN_FORCE' }));
    expect(() => checkIssueDate(t2026, '2026-10-01', '2026-10-08', '2026-11-27')).toThrow(expect.objectContaining({ code: 'ISSUED_BEFORE_PRODUCTION' }));
    expect(() => checkIssueDate(t2026, '2026-11-28', '2026-10-08', '2026-11-27')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('keeps records for the retention period, clamping month ends', () => {
    expect(retainUntil('2026-11-27', 6)).toBe('2027-05-27');
    expect(retainUntil('2026-08-31', 6)).toBe('2027-02-28');
    expect(retainUntil('2026-11-27', 24)).toBe('2028-11-27');
  });
});

describe('certificate numbers and references', () => {
  it('formats and reads back what people type', () => {
    const number = formatCertificateNumber('510131', '2026-11-27', 42);
    expect(number).toBe('510131-20261127-00042');
    expect(normalizeCertificateNumber(' ５１０１３１－２０２６１１２７－０００４２ ')).toBe(number);
    expect(normalizeCertificateNumber('5101312026112700042')).toBe(number);
    expect(normalizeCertificateNumber('510131-2026-00042')).toBeNull();
  });

  it('tells a scanned URL, a token and a number apart', () => {
    expect(parseCertificateReference('https://trace.example.cn/c/AbCdEfGhIjKlMnOpQrStUv')).toEqual({ token: 'AbCdEfGhIjKlMnOpQrStUv' });
    expect(parseCertificateReference('AbCdEfGhIjKlMnOpQrStUv')).toEqual({ token: 'AbCdEfGhIjKlMnOpQrStUv' });
    expect(parseCertificateReference('510131-20261127-00042')).toEqual({ number: '510131-20261127-00042' });
    expect(parseCertificateReference('https://evil.example/x')).toBeNull();
  });

  it('never crashes on arbitrary input (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const ref = parseCertificateReference(s);
      return ref === null || 'token' in ref || 'number' in ref;
    }));
  });
});
