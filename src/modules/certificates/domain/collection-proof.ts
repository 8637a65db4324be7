import { Quantity, sameAmount } from '../../../../libs/quantity';

/**
 * Whether a typed quantity is the one printed on the certificate: the same amount, in any unit of
 * the same kind (100 斤 is 50 kg). With a typed number it stands for having the paper in hand.
 */
export function matchesPrintedQuantity(printed: { value: string; unit: string }, typed: Quantity): boolean {
  return sameAmount(printed, typed);
}
