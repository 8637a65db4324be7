import { createRequire } from 'node:module';
import { isCalendarDate } from './calendar-date';

/**
 * The GS1 Application Identifier dictionary as GS1's own Digital Link toolkit carries it
 * (GS1DigitalLinkToolkit.js, shipped in the maintained npm package digital-link.js, Apache-2.0): every
 * AI with its format, its kind (I primary key, Q key qualifier, D data attribute) and a value pattern.
 * Used to validate the data attributes of a Digital Link query string (`?17=261231&3103=000250`).
 */
interface AiEntry {
  ai: string;
  title: string;
  format: string;
  type: 'I' | 'Q' | 'D';
  regex: string;
}

interface Toolkit {
  aitable: AiEntry[];
}

const load = createRequire(__filename);
const ToolkitClass = load('digital-link.js/lib/GS1DigitalLinkCompressionPrototype/GS1DigitalLinkToolkit.js') as new () => Toolkit;
const TABLE = new Map(new ToolkitClass().aitable.map((e) => [e.ai, { ...e, pattern: new RegExp(`^${e.regex}$`) }]));

export type AttributeProblem = 'unknown_ai' | 'not_a_data_attribute' | 'format' | 'date';

/** Why a query-string `ai=value` is not a valid GS1 data attribute; null when it is one. */
export function dataAttributeProblem(ai: string, value: string): AttributeProblem | null {
  const entry = TABLE.get(ai);
  if (!entry) return 'unknown_ai';
  if (entry.type !== 'D') return 'not_a_data_attribute';
  if (!entry.pattern.test(value)) return 'format';
  if (isDateAttribute(entry) && !datesValid(value)) return 'date';
  return null;
}

/** Title of an AI ("Expiration date (YYMMDD)"), for messages. */
export function aiTitle(ai: string): string | null {
  return TABLE.get(ai)?.title ?? null;
}

/** YYMMDD dates (and 7007's YYMMDD[YYMMDD] harvest date range). */
function isDateAttribute(entry: AiEntry): boolean {
  return /YYMMDD/.test(entry.title) || entry.ai === '7007' || entry.ai === '7006';
}

function datesValid(value: string): boolean {
  if (value.length % 6 !== 0) return false;
  for (let i = 0; i < value.length; i += 6) {
    const yy = Number(value.slice(i, i + 2));
    const mm = Number(value.slice(i + 2, i + 4));
    const dd = Number(value.slice(i + 4, i + 6));
    // GS1 General Specifications 7.12: DD = 00 means "end of month"; the century is the nearest one.
    if (mm < 1 || mm > 12 || (dd !== 0 && !isCalendarDate(2000 + yy, mm, dd))) return false;
  }
  return true;
}
