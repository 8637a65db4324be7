import { isTraceCodeFormat, normalizeTraceCodeInput } from '../../../../libs/codes';
import { DomainError, isDomainError } from '../../../../libs/errors';

/**
 * The trace code in what a gate scanner read: our trace page URL (…/t/{code}), or a code typed
 * with the usual slack (case, separators, O for 0). Null when it is neither.
 */
export function traceCodeIn(scanned: string): string | null {
  const fromUrl = /\/t\/([0-9A-Za-z]{13})(?:[/?#].*)?$/.exec(scanned.trim());
  if (fromUrl && isTraceCodeFormat(fromUrl[1])) return fromUrl[1];
  try {
    return normalizeTraceCodeInput(scanned);
  } catch (error) {
    if (isDomainError(error)) return null;
    throw error;
  }
}

/** 川A12345, 川AD12345 (new energy), 川A1234挂 (trailer): province, letter, 5–6 characters. */
const PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学]$/;

/** A vehicle plate as people type it (spaces, dots, lower case) → its canonical form, or 422 naming the field. */
export function normalizePlate(input: string, field = 'vehiclePlate'): string {
  const plate = input.normalize('NFKC').toUpperCase().replace(/[\s.·-]/g, '');
  if (!PLATE.test(plate)) {
    throw new DomainError('VALIDATION_FAILED', `${field} is not a Chinese vehicle plate such as 川A12345`, { field, rule: 'vehicle_plate' });
  }
  return plate;
}

/** The file may be deleted from the day after this date: `months` after the seller stopped (end of month kept). */
export function sellerRetainUntil(stoppedOn: string, months: number): string {
  const d = new Date(`${stoppedOn}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()));
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
