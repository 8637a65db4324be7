import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ErrorCode } from '../../libs/errors';
import { statusForCode } from '../error-codes';

/**
 * Lists a route's possible error codes in the OpenAPI document: one response per HTTP status,
 * its `code` an enum of the codes that answer with that status (statuses from their declarations, src/error-codes.ts).
 */
export function ApiErrorCodes(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) byStatus.set(statusForCode(code), [...(byStatus.get(statusForCode(code)) ?? []), code]);
  return applyDecorators(...[...byStatus].map(([status, list]) => ApiResponse({
    status,
    description: list.join(', '),
    schema: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: list }, message: { type: 'string' }, details: { type: 'object' } },
    },
  })));
}
