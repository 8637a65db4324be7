import { DomainError, type ErrorCode, type ErrorDetails } from '../../../../libs/errors';
import { normalizeSubstance } from '../../test-records/domain';
import { CertificateStyle, CertificateTemplate } from './templates';

/** What the issuer claims: the ticked bases and the evidence for them. */
export interface BasisClaim {
  basis: string[];
  /** For 质量安全控制符合要求 / 内部质量控制: what was controlled and where it is recorded. */
  qualityControl?: string | null;
  /** Substances actually used on the batch (pesticides, veterinary drugs): tests must cover them. */
  inputsUsed?: string[];
}

/** A test record as the rules see it (loaded by the service; a missing id is reported before). */
export interface EvidenceTest {
  id: string;
  batchId: string;
  testerKind: 'self' | 'lab';
  stream: string;
  testedOn: string;
  verdict: 'pass' | 'fail';
  analytes: string[];
}

export interface BasisContext {
  template: CertificateTemplate;
  style: CertificateStyle;
  batchId: string;
  issuedOn: string;
  tests: EvidenceTest[];
}

/** Streams whose results can back a 自行检测 / 委托检测 basis (rapid tests only back a self-test). */
const TEST_STREAMS: Record<'self' | 'lab', string[]> = {
  self: ['self_test', 'rapid_test'],
  lab: ['entrusted_test', 'routine_monitoring', 'supervisory_sampling'],
};

function fail(code: ErrorCode, message: string, details: ErrorDetails): never {
  throw new DomainError(code, message, details);
}

/**
 * The 承诺依据 rules. Throws a DomainError naming the rule:
 * - BASIS_REQUIRED / BASIS_UNKNOWN / BASIS_DUPLICATE: the ticked options must be the template's own;
 * - EVIDENCE_REQUIRED: a test basis needs a linked test record of the right kind, a control basis a
 *   description;
 * - TEST_RECORD_WRONG_BATCH / TEST_RECORD_FAILED / TEST_RECORD_AFTER_ISSUE / TEST_RECORD_WRONG_KIND;
 * - TESTS_DO_NOT_COVER_INPUTS: "用什么药、检什么药" — every declared input must be among the analytes
 *   of the linked tests when the basis rests on tests.
 * Returns the basis codes in the template's order.
 */
export function checkBasis(claim: BasisClaim, ctx: BasisContext): string[] {
  const { template } = ctx;
  if (ctx.style === 'purchaser') {
    // The purchaser's basis is the certificates it collected (checked by the service).
    if (claim.basis.length > 0) fail('BASIS_NOT_APPLICABLE', 'A purchaser certificate rests on the collected upstream certificates, not on a basis', { field: 'basis', rule: 'empty_for_purchaser' });
    return [];
  }
  const options = new Map(template.basisOptions.map((o) => [o.code as string, o]));
  if (new Set(claim.basis).size !== claim.basis.length) fail('BASIS_DUPLICATE', 'A basis is ticked twice', { field: 'basis', rule: 'unique' });
  for (const code of claim.basis) {
    if (!options.has(code)) {
      fail('BASIS_UNKNOWN', `Template ${template.version} has no basis "${code}"`, { field: 'basis', rule: 'template_option', allowed: [...options.keys()] });
    }
  }
  if (template.basisRequired && claim.basis.length === 0) {
    fail('BASIS_REQUIRED', 'Tick at least one basis (承诺依据)', { field: 'basis', rule: 'required', allowed: [...options.keys()] });
  }
  for (const test of ctx.tests) checkTestRecord(test, ctx);

  const testKindsNeeded = new Set<'self' | 'lab'>();
  for (const code of claim.basis) {
    const option = options.get(code)!;
    if (option.needsDescription && !claim.qualityControl?.trim()) {
      fail('EVIDENCE_REQUIRED', `Basis "${option.label}" needs a description of the quality controls`, { field: 'evidence.qualityControl', rule: 'required_for_basis', basis: code });
    }
    if (option.needsTest) {
      testKindsNeeded.add(option.needsTest);
      if (!ctx.tests.some((t) => t.testerKind === option.needsTest)) {
        const who = option.needsTest === 'self' ? 'a self-test' : 'a laboratory (entrusted) test';
        fail('EVIDENCE_REQUIRED', `Basis "${option.label}" needs ${who} record of this batch that passed`, { field: 'evidence.testRecordIds', rule: 'required_for_basis', basis: code });
      }
    }
  }
  if (testKindsNeeded.size > 0) checkInputsCovered(claim.inputsUsed ?? [], ctx.tests);
  return template.basisOptions.map((o) => o.code as string).filter((code) => claim.basis.includes(code));
}

function checkTestRecord(test: EvidenceTest, ctx: BasisContext): void {
  const ref = { field: 'evidence.testRecordIds', testRecordId: test.id };
  if (test.batchId !== ctx.batchId) fail('TEST_RECORD_WRONG_BATCH', 'A linked test record is of another batch', { ...ref, rule: 'same_batch' });
  if (test.verdict !== 'pass') fail('TEST_RECORD_FAILED', 'A linked test record did not pass: a failing test cannot back a certificate', { ...ref, rule: 'passing_test' });
  if (test.testedOn > ctx.issuedOn) fail('TEST_RECORD_AFTER_ISSUE', 'A linked test is dated after the certificate', { ...ref, rule: 'tested_before_issue' });
  if (!TEST_STREAMS[test.testerKind].includes(test.stream)) {
    fail('TEST_RECORD_WRONG_KIND', `A ${test.stream} record cannot back a ${test.testerKind === 'self' ? 'self' : 'laboratory'} test`, { ...ref, rule: 'test_stream' });
  }
}

function checkInputsCovered(inputsUsed: string[], tests: EvidenceTest[]): void {
  const tested = new Set(tests.flatMap((t) => t.analytes.map(normalizeSubstance)));
  const missing = inputsUsed.filter((s) => !tested.has(normalizeSubstance(s)));
  if (missing.length > 0) {
    fail('TESTS_DO_NOT_COVER_INPUTS', `The linked tests do not cover every substance used (用什么药、检什么药): ${missing.join('、')}`, {
      field: 'evidence.inputsUsed', rule: 'tests_cover_inputs', missing,
    });
  }
}
