import fc from 'fast-check';
import { DomainError } from '../../../../libs/errors';
import { formProblems, messageForCode, messageForRule } from './error-messages';

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

  it('never answers with an object property for codes like toString or __proto__', () => {
    for (const code of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(messageForCode(code)).toBe('操作未能完成，请检查后重试');
      expect(messageForRule(code)).toBe('填写的内容不符合要求');
    }
  });

  it('always answers in Chinese, whatever the code', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('toString', 'valueOf', '__proto__')), (code) => {
      expect(messageForCode(code)).toMatch(/[\u4e00-\u9fff]/);
      expect(messageForRule(code)).toMatch(/[\u4e00-\u9fff]/);
    }));
  });
});
