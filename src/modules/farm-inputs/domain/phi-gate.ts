import type { InputKind } from './input-kinds';
import { addDays, CropRule, cropsOverlap, longestIntervalFor, ruleFor } from './crop-rules';

/**
 * The safe-interval gate (安全间隔期 / 休药期): may a batch of `crop`, harvested (or slaughtered)
 * on `harvestedOn`, come from a site with these applications? Pure: the caller loads the site's
 * applications up to the harvest date and the inputs they used.
 *
 * - An application concerns the batch when its crop and the batch's overlap (the same category, or
 *   one inside the other: an orchard of 柑橘类水果 sprayed, a batch of 橙 harvested).
 * - Its interval is the input's rule for the batch's crop (the most specific category up the tree).
 *   Harvest is allowed from applied + interval days on: the day before is refused, the day itself
 *   and later are allowed. An input without a rule for the crop sets no interval.
 * - A banned (禁用) input on the crop refuses the batch whatever the dates (food is edible).
 * - A regulator's override of an application lets its interval pass, recorded as overridden;
 *   it never lets a banned input pass.
 */
export interface GateInput {
  id: string;
  name: string;
  kind: InputKind;
  registrationNumber: string | null;
  banned: boolean;
  rules: readonly CropRule[];
}

export interface GateApplication {
  id: string;
  inputId: string;
  crop: string;
  appliedOn: string;
}

export interface GateBatch {
  crop: string;
  harvestedOn: string;
}

export interface IntervalFinding {
  applicationId: string;
  input: { id: string; name: string; kind: InputKind; registrationNumber: string | null };
  appliedOn: string;
  intervalDays: number;
  /** The category whose rule set the interval. */
  intervalCategory: string;
  firstAllowedDate: string;
  overridden: boolean;
}

export interface BannedFinding {
  applicationId: string;
  input: { id: string; name: string; kind: InputKind; registrationNumber: string | null };
  appliedOn: string;
}

export interface GateResult {
  /** Applications on the crop up to the harvest date (for input_record_coverage). */
  applicationIds: string[];
  intervals: IntervalFinding[];
  banned: BannedFinding[];
  /** Refused: a banned input, or an interval not elapsed and not overridden. */
  refused: boolean;
  overridden: boolean;
}

export function checkGate(
  batch: GateBatch,
  applications: readonly GateApplication[],
  inputs: ReadonlyMap<string, GateInput>,
  overriddenApplicationIds: ReadonlySet<string> = new Set(),
): GateResult {
  const concerned = applications.filter((a) => a.appliedOn <= batch.harvestedOn && cropsOverlap(a.crop, batch.crop));
  const intervals: IntervalFinding[] = [];
  const banned: BannedFinding[] = [];
  for (const application of concerned) {
    const input = inputs.get(application.inputId);
    if (!input) continue;
    const summary = { id: input.id, name: input.name, kind: input.kind, registrationNumber: input.registrationNumber };
    if (input.banned) banned.push({ applicationId: application.id, input: summary, appliedOn: application.appliedOn });
    const rule = ruleFor(input.rules, batch.crop);
    if (!rule || rule.intervalDays === null) continue;
    const firstAllowedDate = addDays(application.appliedOn, rule.intervalDays);
    if (batch.harvestedOn >= firstAllowedDate) continue;
    intervals.push({
      applicationId: application.id, input: summary, appliedOn: application.appliedOn, intervalDays: rule.intervalDays,
      intervalCategory: rule.category, firstAllowedDate, overridden: overriddenApplicationIds.has(application.id),
    });
  }
  intervals.sort((a, b) => (a.firstAllowedDate < b.firstAllowedDate ? 1 : a.firstAllowedDate > b.firstAllowedDate ? -1 : 0));
  const open = intervals.filter((f) => !f.overridden);
  return {
    applicationIds: concerned.map((a) => a.id),
    intervals,
    banned,
    refused: banned.length > 0 || open.length > 0,
    overridden: intervals.some((f) => f.overridden),
  };
}

/** The first day a crop on the site may be harvested: the latest first-allowed date (null: no interval open on `today`). */
export function harvestAllowedFrom(result: GateResult): string | null {
  const open = result.intervals.filter((f) => !f.overridden);
  return open.length ? open[0].firstAllowedDate : null;
}

/**
 * Whether an application of `input` on `appliedOn` can appear in the gate's findings for a batch of
 * `crop` harvested on `harvestedOn`: a banned input's always, another only while its longest
 * interval on the crop may still be open. The others cannot change a verdict, so `checkGate` on the
 * applications that may decide finds the same intervals and banned inputs as on all of them: the
 * database filters with this rule (phi-gate.service.ts), and only those rows leave it.
 */
export function mayDecide(input: Pick<GateInput, 'banned' | 'rules'>, crop: string, appliedOn: string, harvestedOn: string): boolean {
  return input.banned || appliedOn > addDays(harvestedOn, -longestIntervalFor(input.rules, crop));
}
