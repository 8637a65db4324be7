import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

/** One route as Nest registered it: `GET /api/v1/batches/:id`. */
export interface NestRoute {
  method: string;
  path: string;
  /** Names the handler reads with @Query('name'); `null` when it takes the whole query object. */
  query: (string | null)[];
}

/** Nest's RouteParamtypes.QUERY, as stored in the route-arguments metadata keys (`4:index`). */
const QUERY_ARG = '4:';

/** Every controller route of the application, read from Nest's own metadata (none can be forgotten). */
export function nestRoutes(app: INestApplication): NestRoute[] {
  const out: NestRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!type) continue;
      const prefixes = ([] as string[]).concat(Reflect.getMetadata('path', type) as string | string[] ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const paths = Reflect.getMetadata('path', handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata('method', handler) as RequestMethod];
        const args = Reflect.getMetadata('__routeArguments__', type, name) as Record<string, { data?: unknown }> | undefined;
        const query = Object.entries(args ?? {}).filter(([k]) => k.startsWith(QUERY_ARG)).map(([, v]) => (typeof v.data === 'string' ? v.data : null));
        for (const prefix of prefixes) {
          for (const path of ([] as string[]).concat(paths)) {
            out.push({ method, query, path: `/${[prefix, path].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}` });
          }
        }
      }
    }
  }
  return out;
}

/** Percent-encodes like a browser, except that a lone surrogate goes out as its WTF-8 bytes (encodeURIComponent throws). */
export function encodeComponent(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(value[i]);
    }
  }
  return out;
}

/** `a=1&a=2` for arrays: repeated parameters are what a careless client sends. */
export function encodePairs(values: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeComponent(key)}=${encodeComponent(typeof one === 'string' ? one : JSON.stringify(one) ?? '')}`);
    }
  }
  return pairs.join('&');
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const SOME_ID = '0b7c3a9e-4f1d-4c2a-9e1b-2d3c4b5a6f70';

/** Cursors no list ever handed out: wrong shapes, impossible times, ids that are not uuids. */
export const CRAFTED_CURSORS = [
  b64(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
  b64(['1', SOME_ID]),
  b64(['2026-02-30T00:00:00.000Z', SOME_ID]),
  b64(['-271821-04-20T00:00:00.000Z', SOME_ID]),
  b64(['+275760-09-13T00:00:00.000Z', SOME_ID]),
  b64(['0000-01-01T00:00:00Z', SOME_ID]),
  b64(['2026-01-01T00:00:00.000Z\u0000', SOME_ID]),
  b64(['2026-01-01', `${SOME_ID}\u0000`]),
  b64(['Tue, 01 Jan 2026', SOME_ID]),
  b64({ createdAt: '2026-01-01', id: SOME_ID }),
  b64([null, null]),
  b64('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
  b64('not json'),
  '%%%%', '====', 'x'.repeat(199), 'x'.repeat(5000),
];

/** Strings nobody should be able to store or make the server choke on. */
export const HOSTILE_STRINGS = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', '\u202e名称\u202c', '\u2066x\u2069', '名\u0007称', 'a\u001bb', '\u0085', '\u009b31m',
  'a\r\nb', '\t', 'x'.repeat(5000), '字'.repeat(1500),
  '2026-02-30', '2026-13-01', '2026-00-10', '0000-01-01', '99999-01-01', '2026-02-30T10:00:00Z', '2026-01-01T25:61:00Z', '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z',
  '-1', '0', '1e309', '-0', 'NaN', 'Infinity', '9'.repeat(40), '0.0000000000000000000001', '1'.repeat(400),
  "'; DROP TABLE batches; --", '../../etc/passwd', '%00', '%', '', ' ', '{"a":1}', '[]', 'null', 'true', '<script>alert(1)</script>', '=1+1',
  '00000000-0000-0000-0000-000000000000', '-'.repeat(36), 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', `${SOME_ID}x`, ` ${SOME_ID}`,
  '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  ...CRAFTED_CURSORS,
];

/** Nested arrays and objects, `depth` levels deep, as JSON text (built without recursion). */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A value of any wrong kind. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '名', '\u202e', '\u0001', '\u009f', '\n'), minLength: 1, maxLength: 12 }) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 0.1, -1, 0, 2 ** 31)) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [[[]]], { a: { b: { c: {} } } }, ['\u0000'], { '\u0000': 1 }) },
    { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }) },
  );
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, {
    parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
    requestBody?: { content: Record<string, { schema?: Schema }> };
  }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Real record ids of the run, by what they name; uuid fields get the matching kind. */
export type IdPool = Record<string, string[]>;

function idsFor(pool: IdPool, name: string): string[] {
  const kind = /organi[sz]ation/i.test(name) ? 'organization' : /^(product|site|batch|gi|printRun|certificate)/.exec(name)?.[1];
  return pool[kind ?? ''] ?? Object.values(pool).flat();
}

/**
 * Plausible values for a schema (so that a request gets past the first check and reaches the
 * service), with exactly one leaf replaced by something hostile.
 */
export class SchemaValues {
  constructor(private readonly doc: OpenApiDocument, private readonly ids: IdPool) {}

  private resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; i < 10 && s.$ref; i++) s = this.doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')] ?? {};
    const merged = s.allOf ?? s.oneOf ?? s.anyOf;
    return merged ? { ...s, ...this.resolve(merged[0]) } : s;
  }

  /**
   * The most ordinary valid value: examples, defaults, the first choice, every property present,
   * ids of the matching kind. Undefined when the schema offers nothing better than random text.
   */
  canonical(schema: Schema | undefined, name = '', depth = 0): unknown {
    const s = this.resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.enum?.length) return s.enum[0];
    if (s.properties && depth <= 4) {
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, this.canonical(v, k, depth + 1) ?? (this.resolve(v).type === 'string' || !this.resolve(v).type ? '天府溯源测试' : undefined)])
        .filter(([, v]) => v !== undefined));
    }
    if (s.type === 'array') {
      const item = this.canonical(s.items, name.replace(/s$/, ''), depth + 1);
      return item === undefined ? [] : [item];
    }
    if (s.type === 'integer' || s.type === 'number') return Math.max(s.minimum ?? 1, 1);
    // A dry run where a route offers one: the registries it would write are shared by every suite.
    if (s.type === 'boolean') return name === 'dryRun';
    if (s.format === 'uuid' || /Ids?$/.test(name)) return idsFor(this.ids, name)[0];
    if (s.format === 'date-time') return '2026-10-08T09:30:00+08:00';
    return undefined;
  }

  plausible(schema: Schema | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    if (s.properties || s.type === 'object') {
      if (!s.properties || depth > 4) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
      const shape = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, this.plausible(v, k, depth + 1)]));
      return fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in shape) });
    }
    if (s.type === 'array') return fc.array(this.plausible(s.items, name.replace(/s$/, ''), depth + 1), { minLength: 1, maxLength: 2 });
    if (s.type === 'integer' || s.type === 'number') return fc.integer({ min: Math.max(s.minimum ?? 1, -1e9), max: Math.min(s.maximum ?? 1000, 1e9) });
    if (s.type === 'boolean') return name === 'dryRun' ? fc.constant(true) : fc.boolean();
    if (s.format === 'uuid' || /Ids?$/.test(name)) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...idsFor(this.ids, name)) }, fc.constant(randomUUID()));
    if (s.format === 'date-time') return fc.constantFrom(new Date().toISOString(), '2026-10-08T09:30:00+08:00');
    const examples = [s.example, s.default].filter((v): v is string => typeof v === 'string');
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    return examples.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...examples) }, text) : text;
  }

  /** A plausible value with one leaf (or one unknown key) made hostile. */
  mutated(schema: Schema | undefined): fc.Arbitrary<unknown> {
    return fc.tuple(this.plausible(schema), fc.nat(), hostileValue(), fc.boolean()).map(([value, pick, bad, extraKey]) => mutate(value, pick, bad, extraKey));
  }
}

type Leaf = { parent: Record<string | number, unknown>; key: string | number };

function leavesOf(root: unknown): { leaves: Leaf[]; objects: Record<string, unknown>[] } {
  const leaves: Leaf[] = [];
  const objects: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node)) objects.push(node as Record<string, unknown>);
    for (const [k, v] of Object.entries(node)) {
      if (v !== null && typeof v === 'object' && Object.keys(v).length) walk(v);
      leaves.push({ parent: node as Record<string, unknown>, key: Array.isArray(node) ? Number(k) : k });
    }
  };
  walk(root);
  return { leaves, objects };
}

/** How many leaves `mutate` can choose from. */
export function leafCount(value: unknown): number {
  return leavesOf(value).leaves.length;
}

/** Replaces the `pick`-th leaf of `value` by `bad` (or adds `bad` under an unknown key). */
export function mutate(value: unknown, pick: number, bad: unknown, extraKey = false): unknown {
  const copy = structuredClone(value);
  const { leaves, objects } = leavesOf(copy);
  if (extraKey && objects.length) {
    objects[pick % objects.length][`x${pick % 7}`] = bad;
    return copy;
  }
  if (!leaves.length) return bad;
  const leaf = leaves[pick % leaves.length];
  leaf.parent[leaf.key] = bad;
  return copy;
}

/** The value of the `pick`-th leaf (as `mutate` counts them). */
export function leafAt(value: unknown, pick: number): unknown {
  const { leaves } = leavesOf(value);
  const leaf = leaves[pick % Math.max(leaves.length, 1)];
  return leaf ? leaf.parent[leaf.key] : value;
}

/**
 * What the sweep puts in the `slot`-th parameter or field: a long text, and in turn NUL or a lone
 * surrogate with control and bidi characters (every field meets both kinds across the identities
 * and the random runs; the input guard treats all fields alike).
 */
export function sweepValues(slot: number): string[] {
  return ['x'.repeat(10_000), slot % 2 === 0 ? 'a\u0000b' : '\ud800名\u0007\u202e称'];
}

/** …and in fields that hold (or are named for) a date, an instant or a month. */
export function impossibleDates(current: unknown, name = ''): string[] {
  const text = typeof current === 'string' ? current : '';
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) || /(Time|At)$/.test(name)) return ['2026-02-30T08:00:00+08:00', '0000-01-01T00:00:00Z'];
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) || /(On|Date|^from|^to|^on)$/.test(name)) return ['2026-02-30', '0000-01-01', '99999-01-01'];
  if (/^\d{4}-\d{2}$/.test(text)) return ['2026-13', '0000-01'];
  return [];
}

/** Whole bodies that break parsers rather than rules. */
export const HOSTILE_BODIES: { type: string; body: string }[] = [
  { type: 'application/json', body: deepJson(12_000) },
  { type: 'application/json', body: deepJson(12_000, 'object') },
  { type: 'application/json', body: `{"name":${deepJson(5_000)}}` },
  { type: 'application/json', body: '{"name":"a\u0000b"}' },
  { type: 'application/json', body: '{"name":"\\u0000"}' },
  { type: 'application/json', body: '{"name":"\\ud800"}' },
  { type: 'application/json', body: '{"\\u0000":"x"}' },
  { type: 'application/json', body: '{"__proto__":{"admin":true}}' },
  { type: 'application/json', body: '{' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '"text"' },
  { type: 'application/json', body: '12' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(1_100_000) }) },
  { type: 'application/json', body: JSON.stringify({ name: '字'.repeat(70_000), note: '字'.repeat(70_000) }) },
  { type: 'application/ld+json', body: deepJson(12_000) },
  { type: 'text/csv', body: 'a,b\n\u0000,\u0000\n' },
  { type: 'text/csv', body: '"unterminated\n' },
  { type: 'text/plain', body: '\ud800' },
  { type: 'application/x-www-form-urlencoded', body: 'name=%00&name=%ED%A0%80&a[b][c]=1' },
  { type: 'application/xml', body: '<a/>' },
];
