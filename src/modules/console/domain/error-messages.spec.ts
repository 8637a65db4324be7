import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { formProblems, messageForCode } from './error-messages';

describe('console error messages', () => {
  it('puts a service error next to the field it names', () => {
    const p = formProblems(new DomainError('INVALID_GTIN', 'bad', { field: 'gtin' }), ['name', 'gtin']);
    expect(p.fields.gtin).toContain('商品条码');
    expect(p.general).toBeNull();
  });

  it('spreads validation failures over their fields, one message each, in Chinese', () => {
    const error = new DomainError('VALIDATION_FAILED', 'x', { fields: [
      { field: 'name', rule: 'isNotEmpty', message: 'name should not be empty' },
      { field: 'name', rule: 'maxLength', message: '…' },
      { field: 'quantity.value', rule: 'isDefined', message: '…' },
    ] });
    const p = formProblems(error, ['name', 'quantity.value', 'quantity.unit']);
    expect(p.fields).toEqual({ name: '此项必填', 'quantity.value': '此项必填' });
  });

  it('maps a parent field to the form field under it, and unknown fields to the whole form', () => {
    expect(formProblems(new DomainError('INVALID_QUANTITY', 'x', { field: 'quantity' }), ['quantity.value']).fields['quantity.value']).toBeDefined();
    const p = formProblems(new DomainError('NOT_FOUND', 'x', {}), ['name']);
    expect(p.general).toBe(messageForCode('NOT_FOUND'));
  });

  it('always answers in Chinese, whatever the code', () => {
    fc.assert(fc.property(fc.string(), (code) => {
      expect(messageForCode(code)).toMatch(/[\u4e00-\u9fff]/);
    }));
  });
});
