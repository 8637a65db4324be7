/** What anyone holding the QR may see: the certificate as printed, and whether it is still valid. */
export interface PublicCertificate {
  number: string;
  status: 'valid' | 'voided';
  title: string;
  templateVersion: string;
  style: 'producer' | 'purchaser';
  productName: string;
  quantity: { value: string; unit: string };
  origin: string;
  issuerLabel: string;
  issuer: { name: string; contact: string | null; signedBy: string | null };
  issuedOn: string;
  commitment: string;
  basis: { code: string; label: string; ticked: boolean }[];
  upstreamNumbers: string[];
  voided: { at: string; reason: string } | null;
  replacedBy: { number: string; url: string } | null;
  /** The batch's consumer trace page. */
  traceUrl: string | null;
  verifyUrl: string;
}
