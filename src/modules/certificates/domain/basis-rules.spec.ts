import { DomainError } from '../../../../libs/errors';
import { BasisClaim, BasisContext, checkBasis, EvidenceTest } from './basis-rules';
import { TEMPLATES } from './templates';

const BATCH = 'b1';
const selfTest: EvidenceTest = { id: 't1', batchId: BATCH, testerKind: 'self', stream: 'rapid_test', testedOn: '2026-11-20', verdict: 'pass', analytes: ['毒死蜱', '吡虫啉'] };
const labTest: EvidenceTest = { id: 't2', batchId: BATCH, testerKind: 'lab', stream: 'entrusted_test', testedOn: '2026-11-21', verdict: 'pass', analytes: ['毒死蜱', '氧乐果', 'chlorpyrifos'] };

function ctx(tests: EvidenceTest[], over: Partial<BasisContext> = {}): BasisContext {
  return { template: TEMPLATES['2026'], style: 'producer', batchId: BATCH, issuedOn: '2026-11-27', tests, ...over };
}

function codeOf(claim: BasisClaim, context: BasisContext): string {
  try {
    checkBasis(claim, context);
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('承诺依据 (basis) and evidence rules', () => {
  const cases: [string, BasisClaim, BasisContext, string][] = [
    ['quality control with a description', { basis: ['quality_control'], qualityControl: '按规程生产，落实安全间隔期' }, ctx([]), 'OK'],
    ['quality control without a description', { basis: ['quality_control'] }, ctx([]), 'EVIDENCE_REQUIRED'],
    ['quality control with a blank description', { basis: ['quality_control'], qualityControl: '   ' }, ctx([]), 'EVIDENCE_REQUIRED'],
    ['no basis on the 2026 template', { basis: [] }, ctx([]), 'BASIS_REQUIRED'],
    ['an unknown basis', { basis: ['trust_me'] }, ctx([]), 'BASIS_UNKNOWN'],
    ['a basis of an older template', { basis: ['self_commitment'] }, ctx([]), 'BASIS_UNKNOWN'],
    ['the same basis twice', { basis: ['self_test', 'self_test'] }, ctx([selfTest]), 'BASIS_DUPLICATE'],
    ['self-test with a passing self test', { basis: ['self_test'] }, ctx([selfTest]), 'OK'],
    ['self-test without a test', { basis: ['self_test'] }, ctx([]), 'EVIDENCE_REQUIRED'],
    ['self-test backed only by a lab test', { basis: ['self_test'] }, ctx([labTest]), 'EVIDENCE_REQUIRED'],
    ['entrusted test with a lab report', { basis: ['entrusted_test'] }, ctx([labTest]), 'OK'],
    ['entrusted test backed by a rapid test', { basis: ['entrusted_test'] }, ctx([selfTest]), 'EVIDENCE_REQUIRED'],
    ['a failing test', { basis: ['self_test'] }, ctx([{ ...selfTest, verdict: 'fail' }]), 'TEST_RECORD_FAILED'],
    ['a failing test linked beside a passing one', { basis: ['entrusted_test'] }, ctx([labTest, { ...selfTest, verdict: 'fail' }]), 'TEST_RECORD_FAILED'],
    ['a test of another batch', { basis: ['self_test'] }, ctx([{ ...selfTest, batchId: 'b2' }]), 'TEST_RECORD_WRONG_BATCH'],
    ['a test dated after the certificate', { basis: ['self_test'] }, ctx([{ ...selfTest, testedOn: '2026-11-28' }]), 'TEST_RECORD_AFTER_ISSUE'],
    ['a test on the issue date', { basis: ['self_test'] }, ctx([{ ...selfTest, testedOn: '2026-11-27' }]), 'OK'],
    ['a lab stream declared as a self test', { basis: ['self_test'] }, ctx([{ ...selfTest, stream: 'entrusted_test' }]), 'TEST_RECORD_WRONG_KIND'],
    ['tests cover every substance used', { basis: ['self_test'], inputsUsed: ['毒死蜱', ' 吡虫啉 '] }, ctx([selfTest]), 'OK'],
    ['a substance used but not tested (用什么药、检什么药)', { basis: ['self_test'], inputsUsed: ['毒死蜱', '多菌灵'] }, ctx([selfTest]), 'TESTS_DO_NOT_COVER_INPUTS'],
    ['coverage compares names without case', { basis: ['entrusted_test'], inputsUsed: ['Chlorpyrifos'] }, ctx([labTest]), 'OK'],
    ['coverage counts the union of the linked tests', { basis: ['self_test', 'entrusted_test'], inputsUsed: ['吡虫啉', '氧乐果'] }, ctx([selfTest, labTest]), 'OK'],
    ['quality control alone does not need tests to cover inputs', { basis: ['quality_control'], qualityControl: '田间档案', inputsUsed: ['多菌灵'] }, ctx([]), 'OK'],
    ['four-option template: self commitment alone', { basis: ['self_commitment'] }, ctx([], { template: TEMPLATES['2023-four-basis'] }), 'OK'],
    ['four-option template: internal control needs a description', { basis: ['internal_control'] }, ctx([], { template: TEMPLATES['2023-four-basis'] }), 'EVIDENCE_REQUIRED'],
    ['2019 trial: no basis is fine', { basis: [] }, ctx([], { template: TEMPLATES['2019-trial'] }), 'OK'],
    ['purchaser: no basis', { basis: [] }, ctx([], { style: 'purchaser' }), 'OK'],
    ['purchaser: a basis is not applicable', { basis: ['self_test'] }, ctx([selfTest], { style: 'purchaser' }), 'BASIS_NOT_APPLICABLE'],
  ];

  it.each(cases)('%s', (_name, claim, context, expected) => {
    expect(codeOf(claim, context)).toBe(expected);
  });

  it('returns the ticked bases in the template order and names the field of a missing evidence', () => {
    expect(checkBasis({ basis: ['self_test', 'quality_control'], qualityControl: 'x' }, ctx([selfTest]))).toEqual(['quality_control', 'self_test']);
    try {
      checkBasis({ basis: ['entrusted_test'] }, ctx([]));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as DomainError).details).toMatchObject({ field: 'evidence.testRecordIds', rule: 'required_for_basis', basis: 'entrusted_test' });
    }
  });
});
