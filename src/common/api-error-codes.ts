import type { ErrorCode } from '../../libs/errors';
import { statusForCode } from '../error-codes';

const ERROR_CODES = 'tianfu:error-codes';

/**
 * Declares the error codes a route (or every route of a controller) answers with, beyond those
 * the framework adds around it (authentication, roles, validation, body parsing: see
 * src/openapi-error-codes.ts). The OpenAPI document lists them per status.
 */
export function ApiErrorCodes(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor?.value ?? target) as object;
    Reflect.defineMetadata(ERROR_CODES, [...declaredErrorCodes(holder), ...codes], holder);
  };
}

/** The codes declared with @ApiErrorCodes on a controller class or a route handler. */
export function declaredErrorCodes(holder: object): ErrorCode[] {
  return (Reflect.getMetadata(ERROR_CODES, holder) as ErrorCode[] | undefined) ?? [];
}

interface ResponseObject {
  description?: string;
  content?: Record<string, unknown>;
}

/** The one details shape (libs/errors/error-details.ts) as an OpenAPI schema. */
export const ERROR_DETAILS_SCHEMA = {
  type: 'object',
  description: '`field` and `rule` name the input at fault (the first of `fields` when there are several); '
    + '`problems` lists the rows of an uploaded file; other keys are facts about the code.',
  properties: {
    field: { type: 'string' },
    rule: { type: 'string' },
    fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } } },
    problems: {
      type: 'array',
      items: { type: 'object', properties: { row: { type: 'integer' }, column: { type: 'string', nullable: true }, code: { type: 'string' }, message: { type: 'string' } } },
    },
    problemCount: { type: 'integer' },
    retryAfterSeconds: { type: 'integer' },
  },
  additionalProperties: true,
};

/**
 * Adds one response per HTTP status to `responses`, its `code` an enum of the given codes that
 * answer with that status. A response already there keeps its description.
 */
export function withErrorResponses<R extends object>(responses: R, codes: Iterable<ErrorCode>): R {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of codes) byStatus.set(statusForCode(code), (byStatus.get(statusForCode(code)) ?? new Set()).add(code));
  const out = { ...responses } as Record<string, ResponseObject>;
  for (const [status, set] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...set].sort();
    out[String(status)] = {
      description: out[String(status)]?.description || list.join(', '),
      content: {
        ...out[String(status)]?.content,
        'application/json': {
          schema: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: { type: 'string', enum: list },
              message: { type: 'string' },
              details: { $ref: '#/components/schemas/ErrorDetails' },
            },
          },
        },
      },
    };
  }
  return out as R;
}
