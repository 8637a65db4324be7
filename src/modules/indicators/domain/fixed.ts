/**
 * Exact sums of the aggregates' numeric(24,6) values: integers of millionths (BigInt), so a province's
 * total is exactly the sum of its counties.
 */
const SCALE = 6;

export function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / 10n ** BigInt(SCALE);
  const fraction = (abs % 10n ** BigInt(SCALE)).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** numerator ÷ denominator as a number (6 significant decimals are plenty for a rate). */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  return Number((numerator * 1_000_000_000n) / denominator) / 1_000_000_000;
}
