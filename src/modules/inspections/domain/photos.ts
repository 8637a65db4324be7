import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, evidenceProblem, type EvidenceProblem } from '../../disposals/domain';

/** Photos of an inspection: JPEG or PNG (a phone's camera), each ≤ 200 KiB as the disposals' evidence, at most 6. */
export const PHOTO_TYPES: Record<string, string> = { 'image/jpeg': EVIDENCE_TYPES['image/jpeg'], 'image/png': EVIDENCE_TYPES['image/png'] };
export const PHOTO_MAX_FILES = 6;
export const PHOTO_MAX_BYTES = EVIDENCE_MAX_BYTES;

/** Why a photo is refused, or undefined (type, base64, size and the bytes' signature). */
export function photoProblem(contentType: string, base64: string, bytes: Buffer): EvidenceProblem | undefined {
  if (!PHOTO_TYPES[contentType]) return { rule: 'type', message: `contentType must be one of ${Object.keys(PHOTO_TYPES).join(', ')}` };
  return evidenceProblem(contentType, base64, bytes);
}
