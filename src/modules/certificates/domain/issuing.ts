import { DomainError } from '../../../../libs/errors';
import { decimal, Decimal, formatDecimal, shift } from '../../../../libs/decimal';
import { Amount, amountIn, amountOf, Dimension, formatIn, Quantity } from '../../../../libs/quantity';
import { CertificateStyle, CertificateTemplate } from './templates';

/** Today's date in China Standard Time (certificates are dated as the issuer sees the calendar). */
/** The issue date must lie within the template's period, not before production, not in the future. */
export function checkIssueDate(template: CertificateTemplate, issuedOn: string, producedOn: string, today: string): void {
  if (issuedOn > today) throw new DomainError('VALIDATION_FAILED', 'issuedOn cannot be in the future', { field: 'issuedOn', rule: 'not_future' });
  if (issuedOn < producedOn) {
    throw new DomainError('ISSUED_BEFORE_PRODUCTION', `A certificate cannot be dated before the batch was produced (${producedOn})`, { field: 'issuedOn', rule: 'after_production' });
  }
  if (issuedOn < template.from || (template.until !== null && issuedOn > template.until)) {
    throw new DomainError('TEMPLATE_NOT_IN_FORCE', `Template ${template.version} was in use from ${template.from}${template.until ? ` to ${template.until}` : ''}`, {
      field: 'templateVersion', rule: 'in_force_on_issue_date',
    });
  }
}

export function styleFor(template: CertificateTemplate, style: CertificateStyle) {
  const wording = template.styles[style];
  if (!wording) {
    throw new DomainError('STYLE_NOT_IN_TEMPLATE', `Template ${template.version} has no ${style} certificate`, { field: 'style', rule: 'template_style' });
  }
  return wording;
}

/**
 * The quantity to certify: what was asked, or everything the batch has left. Certificates of one
 * batch never add up to more than the batch (compared exactly, in the batch's base unit).
 */
export function certifiedQuantity(asked: Quantity | undefined, batch: Quantity, already: Amount): { amount: Amount; quantity: Quantity } {
  const total = amountOf(batch);
  const left = total.value.minus(already.value);
  if (asked) {
    const wanted = amountOf(asked);
    if (wanted.dimension !== total.dimension) {
      throw new DomainError('QUANTITY_UNIT_MISMATCH', `The batch is counted in ${batch.unit}; a certificate cannot be in ${asked.unit}`, { field: 'quantity.unit', rule: 'same_dimension' });
    }
    if (wanted.value.gt(left)) throw exceeds(batch, left);
    return { amount: wanted, quantity: asked };
  }
  if (left.lte(0n)) throw exceeds(batch, left);
  return { amount: { dimension: total.dimension, value: left }, quantity: { value: formatIn(left, batch.unit), unit: batch.unit } };
}

function exceeds(batch: Quantity, left: Decimal): DomainError {
  const shown = left.gt(0n) ? formatIn(left, batch.unit) : '0';
  return new DomainError('QUANTITY_EXCEEDS_BATCH', `Certificates of this batch would exceed its quantity: ${shown} ${batch.unit} left`, {
    field: 'quantity.value', rule: 'within_batch', remaining: { value: shown, unit: batch.unit },
  });
}

/** What `certificates.base_milli` counts in: thousandths of a gram, or of the counted unit (stored; never change). */
const storedUnit = (dimension: Dimension): string => (dimension === 'mass' ? 'g' : dimension);

export function toBaseMilli(amount: Amount): string {
  return formatDecimal(shift(amountIn(amount, storedUnit(amount.dimension)), 3));
}

export function fromBaseMilli(milli: string, dimension: Dimension): Amount {
  return amountOf({ value: formatDecimal(shift(decimal(milli), -3)), unit: storedUnit(dimension) });
}

/** Retention: the record may be deleted only after this date. */
export function retainUntil(issuedOn: string, months: number): string {
  const d = new Date(`${issuedOn}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));
  // 31 Aug + 6 months has no 31 Feb: keep the last day of the month instead of rolling over.
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
