/**
 * Print-run labels: QR matrix → SVG / PNG / PDF sheets and rolls / ZPL / TSPL.
 * Pure library (no Nest, nothing from src/); bad input throws DomainError.
 */
export {
  LABEL_LAYOUTS,
  type LabelLayout,
  type LabelLayoutSpec,
} from './layouts';
export { type LabelContent, type RenderOptions } from './label-content';
export { qrMatrix, QR_QUIET_ZONE, type QrMatrix } from './qr-matrix';
export { qrSvg, qrPng } from './qr-image';
export { renderLabelsPdf } from './label-pdf';
export { renderLabelsZpl } from './label-zpl';
export { renderLabelsTspl } from './label-tspl';
export {
  renderCertificatePdf,
  CERTIFICATE_LAYOUTS,
  type CertificateDocument,
  type CertificateLayout,
} from './certificate-pdf';
export {
  renderLogisticLabelPdf,
  renderLogisticLabelZpl,
  logisticElementStrings,
  gs1128,
  type LogisticLabelData,
  type LogisticLabelParty,
  type LogisticLabelContent,
  type LogisticBarcode,
} from './logistic-label';
export { cjkFont, cjkFontData, type CjkWeight } from './cjk-font';
