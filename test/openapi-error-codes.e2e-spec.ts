import type { ErrorCode } from '../libs/errors';
import { isErrorCode, statusForCode } from '../src/error-codes';
import { createTestApp, TestApp } from './support/test-app';

interface Response { description?: string; content?: Record<string, { schema?: { properties?: { code?: { enum?: string[] } } } }> }
type Operation = { responses: Record<string, Response>; summary?: string; operationId?: string };

describe('OpenAPI document: each route lists its error codes', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  let schemas: Record<string, { properties?: Record<string, unknown> }>;

  beforeAll(async () => {
    t = await createTestApp();
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    paths = doc.paths;
    schemas = doc.components.schemas;
  });
  afterAll(() => t.close());

  const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
  const apiOperations = () => Object.entries(paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] })));
  /** status → codes documented for it. */
  const errorCodes = (op: Operation) => Object.fromEntries(Object.entries(op.responses)
    .filter(([status]) => Number(status) >= 400)
    .map(([status, r]) => [status, r.content?.['application/json']?.schema?.properties?.code?.enum ?? []]));

  it('gives every /api/v1 operation error responses whose codes are declared, each under its own status', () => {
    const operations = apiOperations();
    expect(operations.length).toBeGreaterThan(90);
    const problems: string[] = [];
    for (const { name, op } of operations) {
      const byStatus = errorCodes(op);
      if (!Object.keys(byStatus).length) problems.push(`${name}: no error responses`);
      for (const [status, codes] of Object.entries(byStatus)) {
        if (!codes.length) problems.push(`${name} ${status}: no codes`);
        for (const code of codes) {
          if (!isErrorCode(code)) problems.push(`${name} ${status}: ${code} is not declared`);
          else if (statusForCode(code) !== Number(status)) problems.push(`${name} ${status}: ${code} answers ${statusForCode(code)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every route — /api/v1, the consumer pages and the GS1 Digital Link resolver — a summary and a 2xx response schema', () => {
    const every = Object.entries(paths)
      .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] })));
    expect(every.length).toBeGreaterThan(150);
    expect(every.some(({ name }) => name.startsWith('GET /01/'))).toBe(true);
    const problems: string[] = [];
    for (const { name, op } of every) {
      if (!op.summary?.trim()) problems.push(`${name}: no summary (run node scripts/openapi-responses.mjs, or add @ApiOperation)`);
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (!ok.length) problems.push(`${name}: no 2xx response`);
      for (const [status, response] of ok) {
        if (status === '204') continue;
        const schemas = Object.values(response.content ?? {}).map((c) => c.schema).filter(Boolean);
        if (!schemas.length) problems.push(`${name} ${status}: no response schema`);
      }
    }
    expect(problems).toEqual([]);
    // Derived from the handler's type: a sample's refusal fields are in the refuse route's schema.
    const refuse = paths['/api/v1/sampling/samples/{id}/refuse'].post.responses['200'].content!['application/json'].schema as { properties?: Record<string, unknown> };
    expect(Object.keys(refuse.properties ?? {})).toEqual(expect.arrayContaining(['refusedAt', 'refusalReason', 'custody']));
  });

  it('lists the codes a route\'s service throws next to those of authentication, roles, validation and body parsing', () => {
    const create = paths['/api/v1/batches'].post;
    expect(Object.keys(create.responses)).toContain('201');
    const codes = errorCodes(create);
    expect(codes['400']).toEqual(expect.arrayContaining<ErrorCode>(['VALIDATION_FAILED', 'MALFORMED_JSON', 'INVALID_LOT_CODE', 'INVALID_QUANTITY']));
    expect(codes['401']).toEqual(['UNAUTHENTICATED']);
    expect(codes['403']).toEqual(['FORBIDDEN']);
    expect(codes['409']).toEqual(expect.arrayContaining<ErrorCode>(['DUPLICATE_LOT_CODE', 'IDEMPOTENCY_IN_PROGRESS']));
    expect(codes['422']).toEqual(expect.arrayContaining<ErrorCode>(['GI_QUOTA_EXCEEDED', 'IDEMPOTENCY_KEY_REUSED']));
    expect(codes['413']).toEqual(['PAYLOAD_TOO_LARGE']);

    const csvImport = errorCodes(paths['/api/v1/gi/records.csv'].post);
    expect(csvImport['422']).toContain('GI_IMPORT_REJECTED');
    expect(csvImport['415']).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(csvImport['400']).not.toContain('MALFORMED_JSON');

    const publicList = errorCodes(paths['/api/v1/gi'].get);
    expect(publicList['401']).toBeUndefined();
    expect(errorCodes(paths['/api/v1/scan/{code}'].get)).toEqual({ 404: ['NOT_FOUND'], 429: ['RATE_LIMITED'] });
    expect(paths['/api/v1/scan/{code}'].get.responses['404'].description).toContain('friendly HTML page');
  });

  it('documents the one details shape', () => {
    expect(Object.keys(schemas.ErrorDetails.properties ?? {})).toEqual(expect.arrayContaining(['field', 'rule', 'fields', 'problems']));
  });
});
