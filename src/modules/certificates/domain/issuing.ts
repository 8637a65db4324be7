import { DomainError } from '../../../../libs/errors';
import { BaseAmount, formatMilli, Quantity } from '../../../../libs/quantity';
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
 * batch never add up to more than the batch (compared exactly, in thousandths of grams or of the
 * count unit).
 */
export function certifiedQuantity(asked: Quantity | undefined, askedBase: BaseAmount | undefined, batch: { quantity: Quantity; base: BaseAmount }, alreadyMilli: bigint): BaseAmount & { quantity: Quantity } {
  const left = batch.base.milli - alreadyMilli;
  if (asked && askedBase) {
    if (askedBase.unit !== batch.base.unit) {
      throw new DomainError('QUANTITY_UNIT_MISMATCH', `The batch is counted in ${batch.quantity.unit}; a certificate cannot be in ${asked.unit}`, { field: 'quantity.unit', rule: 'same_dimension' });
    }
    if (askedBase.milli > left) throw exceeds(batch, left);
    return { ...askedBase, quantity: asked };
  }
  if (left <= 0n) throw exceeds(batch, left);
  const perUnit = batch.base.milli / toMilli(batch.quantity.value);
  return { milli: left, unit: batch.base.unit, quantity: { value: formatMilli(left / perUnit), unit: batch.quantity.unit } };
}

function toMilli(value: string): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole) * 1000n + BigInt((fraction + '000').slice(0, 3));
}

function exceeds(batch: { quantity: Quantity; base: BaseAmount }, leftMilli: bigint): DomainError {
  const perUnit = batch.base.milli / toMilli(batch.quantity.value);
  const left = leftMilli > 0n ? formatMilli(leftMilli / perUnit) : '0';
  return new DomainError('QUANTITY_EXCEEDS_BATCH', `Certificates of this batch would exceed its quantity: ${left} ${batch.quantity.unit} left`, {
    field: 'quantity.value', rule: 'within_batch', remaining: { value: left, unit: batch.quantity.unit },
  });
}

/** Retention: the record may be deleted only after this date. */
export function retainUntil(issuedOn: string, months: number): string {
  const d = new Date(`${issuedOn}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));
  // 31 Aug + 6 months has no 31 Feb: keep the last day of the month instead of rolling over.
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
