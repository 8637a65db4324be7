import { buildDigitalLink } from '../../../../libs/codes';

export interface QrSubject {
  /** GTIN-14 of the product, when it has one. */
  gtin: string | null;
  lot: string;
  code: string;
}

export function traceUrl(baseUrl: string, code: string): string {
  return `${baseUrl}/t/${code}`;
}

/**
 * What a batch-level QR holds: a GS1 Digital Link on our own host when the product has a GTIN
 * (GB/T 33993 allows the manufacturer's own URL), else the plain trace URL.
 */
export function batchQrContent(baseUrl: string, s: QrSubject): string {
  return s.gtin ? buildDigitalLink(baseUrl, { gtin: s.gtin, lot: s.lot }) : traceUrl(baseUrl, s.code);
}

/** An item QR: the serial of the Digital Link is the item's unguessable code. */
export function itemQrContent(baseUrl: string, s: QrSubject): string {
  return s.gtin ? buildDigitalLink(baseUrl, { gtin: s.gtin, lot: s.lot, serial: s.code }) : traceUrl(baseUrl, s.code);
}
