/**
 * The one shape of an error's `details`. Clients read it the same way for every code:
 * - `field` and `rule` name the input at fault and the rule it broke (`labels[3].qrText`,
 *   `max_length`) whenever one input is to blame — also when `fields` lists several, where they
 *   repeat the first (DomainError fills them in), so `details.field` is always the place to look;
 * - `fields` lists every field problem a validation found;
 * - `problems` lists the rows of an uploaded file that break rules (with `problemCount` when the
 *   list is cut short);
 * - any other key is a fact about this code (`retryAfterSeconds`, `remaining`, `collectionId` …),
 *   documented where the code is thrown. Never the rejected value when it may be personal data.
 */
export interface ErrorDetails {
  field?: string;
  rule?: string;
  fields?: readonly FieldProblem[];
  problems?: readonly ImportProblem[];
  problemCount?: number;
  retryAfterSeconds?: number;
  [fact: string]: unknown;
}

/** One field that broke one rule. */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

/**
 * One problem in an uploaded file: its row (1 = the header) and column, the code it would have
 * answered alone, and a message. The limit table's importer still says `line`, `field` and
 * `rule` instead of `row`, `column` and `code` (the CSV consolidation aligns it).
 */
export interface ImportProblem {
  row?: number;
  line?: number;
  column?: string | null;
  field?: string;
  rule?: string;
  code?: string;
  message: string;
}

/** `fields` alone becomes `field` + `rule` of the first problem plus `fields` (see ErrorDetails). */
export function withFirstField(details: ErrorDetails | undefined): ErrorDetails | undefined {
  const first = details?.fields?.[0];
  if (!details || !first || details.field !== undefined) return details;
  return { field: first.field, rule: first.rule, ...details };
}
