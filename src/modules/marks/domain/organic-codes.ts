import { DomainError } from '../../../../libs/errors';
import { parseOrganicCode } from './mark-numbers';

/** Most codes one allocation records (a roll of labels is far less). */
export const MAX_CODES_PER_ALLOCATION = 200_000;

export type ParsedAllocation =
  | { kind: 'range'; first: string; last: string; count: number }
  | { kind: 'list'; codes: string[]; first: string; last: string; count: number };

/**
 * An allocation as the holder received it: a range (first…last, same length, counted inclusive)
 * or a list of codes. Every code must have the 有机码 format; a list must not repeat a code.
 */
export function parseAllocation(raw: { from?: unknown; to?: unknown; codes?: unknown }): ParsedAllocation {
  const hasRange = raw.from !== undefined || raw.to !== undefined;
  const hasList = raw.codes !== undefined;
  if (hasRange === hasList) {
    throw new DomainError('VALIDATION_FAILED', 'Give either a range (from, to) or a list (codes)', { field: 'codes', rule: 'range_or_list' });
  }
  if (hasRange) {
    const first = parseOrganicCode(raw.from, 'from');
    const last = parseOrganicCode(raw.to, 'to');
    if (BigInt(last) < BigInt(first)) throw new DomainError('VALIDATION_FAILED', 'to must not be before from', { field: 'to', rule: 'after_from' });
    const count = BigInt(last) - BigInt(first) + 1n;
    if (count > BigInt(MAX_CODES_PER_ALLOCATION)) {
      throw new DomainError('VALIDATION_FAILED', `A range holds at most ${MAX_CODES_PER_ALLOCATION} codes`, { field: 'to', rule: 'max_size' });
    }
    return { kind: 'range', first, last, count: Number(count) };
  }
  if (!Array.isArray(raw.codes) || raw.codes.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'codes must be a non-empty list', { field: 'codes', rule: 'non_empty' });
  }
  if (raw.codes.length > MAX_CODES_PER_ALLOCATION) {
    throw new DomainError('VALIDATION_FAILED', `A list holds at most ${MAX_CODES_PER_ALLOCATION} codes`, { field: 'codes', rule: 'max_size' });
  }
  const seen = new Set<string>();
  const codes = raw.codes.map((c, i) => {
    const code = parseOrganicCode(c, `codes[${i}]`);
    if (seen.has(code)) throw new DomainError('DUPLICATE_ORGANIC_CODE', `codes[${i}] repeats ${code}`, { field: `codes[${i}]`, rule: 'unique' });
    seen.add(code);
    return code;
  });
  const sorted = [...codes].sort();
  return { kind: 'list', codes, first: sorted[0], last: sorted[sorted.length - 1], count: codes.length };
}
