/**
 * Inspection checklists (巡查检查表) as data: a template is a code, a version and its items. A
 * published version never changes (inspections name the version they were made with); a change is
 * a new version. These are the pure rules for a template's items and for an inspection's results.
 */
export interface ChecklistItem {
  /** Stable key within the template (results and findings name it). */
  key: string;
  /** What the inspector checks, as the sheet words it. */
  text: string;
}

export const ITEM_RESULTS = { pass: '符合', fail: '不符合', na: '不适用' } as const;
export type ItemResult = keyof typeof ITEM_RESULTS;

export const MAX_ITEMS = 60;
const KEY = /^[a-z][a-z0-9_]{1,39}$/;
const CODE = /^[a-z][a-z0-9_-]{1,39}$/;

export type Problem = { field: string; rule: string; message: string };

/** Why a template's code is refused, or undefined. */
export function templateCodeProblem(code: string): Problem | undefined {
  return CODE.test(code) ? undefined : { field: 'code', rule: 'format', message: 'code must be 2–40 lower-case letters, digits, _ or - (starting with a letter)' };
}

/** Why a template's items are refused, or undefined: 1–60 items, keys well-formed and distinct, texts 2–200 characters. */
export function itemsProblem(items: readonly ChecklistItem[]): Problem | undefined {
  if (items.length === 0 || items.length > MAX_ITEMS) return { field: 'items', rule: 'count', message: `a checklist has 1–${MAX_ITEMS} items` };
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (!KEY.test(item.key)) return { field: `items[${i}].key`, rule: 'format', message: 'key must be 2–40 lower-case letters, digits or _ (starting with a letter)' };
    if (seen.has(item.key)) return { field: `items[${i}].key`, rule: 'unique', message: `key ${item.key} appears twice` };
    seen.add(item.key);
    const text = item.text.trim();
    if (text.length < 2 || text.length > 200) return { field: `items[${i}].text`, rule: 'length', message: 'text must have 2–200 characters' };
  }
  return undefined;
}

export interface ResultInput { itemKey: string; result: string }
export interface FindingInput { itemKey: string | null }

/**
 * Why an inspection's results and findings are refused, or undefined: every item of the version
 * answered exactly once; a finding names a failed item (or none, for something outside the sheet);
 * every failed item has a finding (a failure with nothing to correct is not a failure).
 */
export function resultsProblem(items: readonly ChecklistItem[], results: readonly ResultInput[], findings: readonly FindingInput[]): Problem | undefined {
  const keys = new Set(items.map((i) => i.key));
  const answered = new Map<string, string>();
  for (const [i, r] of results.entries()) {
    if (!keys.has(r.itemKey)) return { field: `results[${i}].itemKey`, rule: 'known_item', message: `${r.itemKey} is not an item of this checklist version` };
    if (answered.has(r.itemKey)) return { field: `results[${i}].itemKey`, rule: 'unique', message: `${r.itemKey} is answered twice` };
    if (!Object.prototype.hasOwnProperty.call(ITEM_RESULTS, r.result)) return { field: `results[${i}].result`, rule: 'enum', message: `result must be one of ${Object.keys(ITEM_RESULTS).join(', ')}` };
    answered.set(r.itemKey, r.result);
  }
  const missing = items.filter((i) => !answered.has(i.key)).map((i) => i.key);
  if (missing.length) return { field: 'results', rule: 'every_item', message: `every item must be answered; missing: ${missing.join(', ')}` };
  for (const [i, f] of findings.entries()) {
    if (f.itemKey !== null && answered.get(f.itemKey) !== 'fail') {
      return { field: `findings[${i}].itemKey`, rule: 'failed_item', message: `a finding names an item answered 不符合 (${f.itemKey} is not)` };
    }
  }
  const withFinding = new Set(findings.map((f) => f.itemKey));
  const bare = [...answered].filter(([key, result]) => result === 'fail' && !withFinding.has(key)).map(([key]) => key);
  if (bare.length) return { field: 'findings', rule: 'finding_per_failure', message: `each item answered 不符合 needs a finding with a deadline; missing for ${bare.join(', ')}` };
  return undefined;
}
