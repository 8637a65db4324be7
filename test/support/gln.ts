import { gtinCheckDigit } from '../../libs/codes';

/** A GLN: 12 digits plus their GS1 check digit. */
export function completeGln(first12: string): string {
  return first12 + gtinCheckDigit(first12);
}
