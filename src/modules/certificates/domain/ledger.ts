import { DomainError } from '../../../../libs/errors';
import { decimal } from '../../../../libs/decimal';
import { amountOf, formatIn, Quantity } from '../../../../libs/quantity';
import { fromBaseMilli, toBaseMilli } from './issuing';

/**
 * What one collection draws from a certificate's ledger, in the certificate's stored base unit
 * (`base_milli`). A quantity of another kind (pieces against kilograms) cannot be compared: that
 * is bad input, named on the field.
 */
export function ledgerDraw(certified: { value: string; unit: string }, collected: Quantity, field = 'quantity'): string {
  const own = amountOf(certified);
  const asked = amountOf(collected);
  if (own.dimension !== asked.dimension) {
    throw new DomainError('QUANTITY_UNIT_MISMATCH', `The certificate is for ${certified.value} ${certified.unit}; ${collected.unit} cannot be collected against it`, {
      field: `${field}.unit`, rule: 'same_dimension',
    });
  }
  return toBaseMilli(asked);
}

/** What is left to collect, written in the certificate's own unit (cut toward zero, never overstated). */
export function ledgerRemaining(certified: { value: string; unit: string }, certifiedMilli: string, collectedMilli: string): { value: string; unit: string } {
  const left = decimal(certifiedMilli).minus(decimal(collectedMilli));
  const dimension = amountOf(certified).dimension;
  return { value: left.gt(0n) ? formatIn(fromBaseMilli(left.toFixed(0), dimension), certified.unit) : '0', unit: certified.unit };
}
