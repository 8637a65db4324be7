/**
 * Consumer reports (问题反馈, DOMAIN.md §11: 社会监督 by consumers): the rules that need no database.
 */

/** What a consumer can report, with the words the pages use. */
export const REPORT_CATEGORIES = {
  quality: '质量问题（变质、异味、异物等）',
  label: '标签或追溯信息不符',
  counterfeit: '疑似假冒或标签被复制',
  safety: '食用后身体不适',
  other: '其他',
} as const;
export type ReportCategory = keyof typeof REPORT_CATEGORIES;

/** new → triaged → closed by the regulator; a closed report may be reopened (triaged again). */
export const REPORT_STATUSES = { new: '待处理', triaged: '处理中', closed: '已办结' } as const;
export type ReportStatus = keyof typeof REPORT_STATUSES;
export const TRIAGE_STATUSES = ['triaged', 'closed'] as const;

export const PHOTO_MAX_FILES = 3;
/**
 * A photo as sent (decoded). The scan page shrinks photos in the browser to about 1280 px first, so
 * three of them and the text fit the 1 MiB every JSON body may have.
 */
export const PHOTO_MAX_BYTES = 240 * 1024;
export const PHOTO_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };
const SIGNATURES: Record<string, number[]> = { 'image/jpeg': [0xff, 0xd8, 0xff], 'image/png': [0x89, 0x50, 0x4e, 0x47] };

export type PhotoProblem = { rule: 'type' | 'size' | 'encoding' | 'signature'; message: string };

/** Why a photo is refused, or undefined. `base64` as sent; `bytes` decoded. */
export function photoProblem(contentType: string, base64: string, bytes: Buffer): PhotoProblem | undefined {
  if (!PHOTO_TYPES[contentType]) return { rule: 'type', message: `contentType must be one of ${Object.keys(PHOTO_TYPES).join(', ')}` };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || bytes.length === 0) return { rule: 'encoding', message: 'data must be non-empty base64' };
  if (bytes.length > PHOTO_MAX_BYTES) return { rule: 'size', message: `a photo may have at most ${PHOTO_MAX_BYTES} bytes` };
  if (!SIGNATURES[contentType].every((b, i) => bytes[i] === b)) return { rule: 'signature', message: `the bytes are not a ${contentType} file` };
  return undefined;
}

/** The consent text shown beside the phone field: a phone is kept only when this was agreed to. */
export function phoneConsentText(retentionDays: number): string {
  return `我同意将手机号提供给监管部门和生产者，仅用于核实和答复本次反馈；手机号和照片将在 ${retentionDays} 天后自动删除。`;
}

/** A mainland mobile number (11 digits starting 1[3-9]); spaces and hyphens are dropped, +86 / 86 accepted. Null when it is not one. */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** Shows a phone to the people who handle the report without spelling it out in lists: 138****5678. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/**
 * The counterfeit alert: reports of one code from this many distinct clients within the window
 * raise it — once per code and window (a later report inside the window does not raise another).
 */
export function raisesAlert(distinctClients: number, threshold: number, alertedWithinWindow: boolean): boolean {
  return !alertedWithinWindow && distinctClients >= threshold;
}
