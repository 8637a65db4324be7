import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../errors';

/** The EPCIS 2.0 JSON-LD context every document we write starts with. */
const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'AssociationEvent', 'TransactionEvent'] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

export type EpcisEvent = Record<string, unknown> & { type: EpcisEventType };

let validator: ValidateFunction | undefined;

/** The official EPCIS 2.0 JSON schema (gs1/EPCIS, draft 7), compiled once (about half a second). */
function schemaValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    // RFC 3339 allows year 0000, PostgreSQL does not (ISO year 0 is 1 BC): such an eventTime passed the
    // schema and then failed the capture job at every retry. Refused here, with its JSON path.
    const rfc3339 = fullFormats['date-time'] as { validate: (text: string) => boolean };
    ajv.addFormat('date-time', { type: 'string', validate: (text: string) => !text.startsWith('0000') && rfc3339.validate(text) });
    validator = ajv.compile(JSON.parse(readFileSync(join(__dirname, 'epcis-json-schema.json'), 'utf8')) as object);
  }
  return validator;
}

export interface SchemaProblem {
  /** JSON pointer of the offending value, e.g. `/epcisBody/eventList/0/action`. */
  path: string;
  rule: string;
  message: string;
}

/** Schema problems of a document (empty when it validates). */
export function schemaProblems(document: unknown): SchemaProblem[] {
  const validate = schemaValidator();
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => ({
    path: e.instancePath || '/',
    rule: e.keyword,
    message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
  }));
}

/**
 * Longest values the capture can store (epcis_events columns; an eventID leaves room for the
 * `#declared-<capture id>` suffix of an error declaration). Longer ones passed the schema and then
 * failed the capture job at every retry.
 */
const STORED_LENGTHS: [pointer: string, value: (event: Record<string, unknown>) => unknown, max: number][] = [
  ['eventID', (e) => e.eventID, 250],
  ['bizStep', (e) => e.bizStep, 200],
  ['disposition', (e) => e.disposition, 200],
  ['bizLocation/id', (e) => (e.bizLocation as { id?: unknown } | undefined)?.id, 300],
];

const tooLong = (value: unknown, max: number) => typeof value === 'string' && value.length > max;

function lengthProblems(document: unknown): SchemaProblem[] {
  const body = (document as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody;
  const base = Array.isArray(body?.eventList) ? '/epcisBody/eventList/' : '/epcisBody/event';
  return documentEvents((document ?? {}) as Record<string, unknown>).flatMap((event, i) => STORED_LENGTHS
    .filter(([, value, max]) => tooLong(value(event ?? {}), max))
    .map(([pointer, , max]) => {
      const path = `${base}${base.endsWith('/') ? i : ''}/${pointer}`;
      return { path, rule: 'maxLength', message: `${path} must NOT have more than ${max} characters` };
    }));
}

/** Throws a 400-mapped DomainError naming the schema path when the document is not valid EPCIS 2.0. */
export function assertEpcisDocument(document: unknown): void {
  const schema = schemaProblems(document);
  const problems = schema.length ? schema : lengthProblems(document);
  if (problems.length > 0) {
    throw new DomainError('INVALID_EPCIS', `Not a valid EPCIS 2.0 document: ${problems[0].message}`, {
      field: problems[0].path, rule: problems[0].rule, schemaPath: problems[0].path, problems,
    });
  }
}

/** The events of a document (EPCISDocument `eventList`, or a single `event` of a query document). */
export function documentEvents(document: Record<string, unknown>): EpcisEvent[] {
  const body = (document.epcisBody ?? {}) as Record<string, unknown>;
  if (Array.isArray(body.eventList)) return body.eventList as EpcisEvent[];
  if (body.event && typeof body.event === 'object') return [body.event as EpcisEvent];
  const results = (body.queryResults as { resultsBody?: { eventList?: EpcisEvent[] } } | undefined)?.resultsBody?.eventList;
  return Array.isArray(results) ? results : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function classes(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((q) => (q as { epcClass?: unknown })?.epcClass).filter((c): c is string => typeof c === 'string')
    : [];
}

/** Instance-level identifiers an event mentions (MATCH_epc). */
export function eventEpcs(e: Record<string, unknown>): string[] {
  const out = [
    ...strings(e.epcList), ...strings(e.childEPCs), ...strings(e.inputEPCList), ...strings(e.outputEPCList),
  ];
  if (typeof e.parentID === 'string') out.push(e.parentID);
  return [...new Set(out)];
}

/** Class-level identifiers (lots) an event mentions (MATCH_epcClass). */
export function eventEpcClasses(e: Record<string, unknown>): string[] {
  return [...new Set([
    ...classes(e.quantityList), ...classes(e.childQuantityList), ...classes(e.inputQuantityList), ...classes(e.outputQuantityList),
  ])];
}

/** `urn:epcglobal:cbv:bizstep:shipping` and `https://ref.gs1.org/cbv/BizStep-shipping` → `shipping`. */
export function bareCbvWord(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  const urn = /^urn:epcglobal:cbv:[a-z]+:(.+)$/.exec(value);
  if (urn) return urn[1];
  const web = /^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-(.+)$/.exec(value);
  if (web) return web[1];
  return value;
}

/** An EPCISDocument around events. */
export function epcisDocument(events: Record<string, unknown>[], extraContext: Record<string, string> = {}): Record<string, unknown> {
  return {
    '@context': Object.keys(extraContext).length ? [EPCIS_CONTEXT, extraContext] : [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  };
}
