/** The four ways a failed product ends (DOMAIN.md §11), with the words the public notices use. */
export const DISPOSAL_METHODS = {
  destroy: '销毁',
  harmless: '无害化处理',
  withdraw: '退市',
  recall: '召回',
} as const;
export type DisposalMethod = keyof typeof DISPOSAL_METHODS;

/** Evidence files: photos of the disposal or the signed record, small enough to keep beside the row. */
export const EVIDENCE_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };
export const EVIDENCE_MAX_FILES = 3;
export const EVIDENCE_MAX_BYTES = 200 * 1024;

/** Magic numbers: the declared type must match the bytes (a renamed executable is not a photo). */
const SIGNATURES: Record<string, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};

export type EvidenceProblem = { rule: 'type' | 'size' | 'encoding' | 'signature'; message: string };

/** Why an evidence file is refused, or undefined. `base64` as sent; `bytes` decoded. */
export function evidenceProblem(contentType: string, base64: string, bytes: Buffer): EvidenceProblem | undefined {
  if (!EVIDENCE_TYPES[contentType]) return { rule: 'type', message: `contentType must be one of ${Object.keys(EVIDENCE_TYPES).join(', ')}` };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || bytes.length === 0) return { rule: 'encoding', message: 'data must be non-empty base64' };
  if (bytes.length > EVIDENCE_MAX_BYTES) return { rule: 'size', message: `a file may have at most ${EVIDENCE_MAX_BYTES} bytes` };
  const signature = SIGNATURES[contentType];
  if (!signature.every((b, i) => bytes[i] === b)) return { rule: 'signature', message: `the bytes are not a ${contentType} file` };
  return undefined;
}
