import { formatScaled } from '../../../../libs/decimal';

/**
 * Exact sums of the aggregates' numeric(24,6) values: integers of millionths (BigInt), so a province's
 * total is exactly the sum of its counties. Sums stay BigInt here (thousands of series per answer,
 * one BigInt parse per value); only the answer is written as a decimal.
 */
export function formatMicros(micros: bigint): string {
  return formatScaled(micros, 6);
}

/** numerator ÷ denominator as a number (6 significant decimals are plenty for a rate). */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  return Number((numerator * 1_000_000_000n) / denominator) / 1_000_000_000;
}
