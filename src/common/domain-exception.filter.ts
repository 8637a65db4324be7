import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type ErrorDetails } from '../../libs/errors';
import { statusForCode } from '../error-codes';
import { CONSUMER_PAGE_PATH, renderNotFoundPage } from './html';

interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

/** Fastify's own errors (body parsing, content type, size) carry FST_* codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof DomainError) {
    return {
      status: statusForCode(exception.code),
      body: { code: exception.code, message: exception.message, details: exception.details },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const causeCode = (exception.cause as { code?: string } | undefined)?.code;
    // Nest wraps Fastify's body-parser errors in an HttpException; keep their meaning.
    if ((causeCode && FASTIFY_CODES[causeCode] === 'MALFORMED_JSON') || (status === 400 && /JSON/i.test(exception.message))) {
      return { status, body: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' } };
    }
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
    return {
      status,
      body: { code: CODE_BY_STATUS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR'), message: String(message) },
    };
  }
  const fastifyCode = (exception as { code?: string } | null)?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const code = FASTIFY_CODES[fastifyCode];
    return { status: statusForCode(code), body: { code, message: (exception as Error).message } };
  }
  const statusCode = (exception as { statusCode?: number } | null)?.statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      body: { code: CODE_BY_STATUS[statusCode] ?? 'BAD_REQUEST', message: (exception as Error).message },
    };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { code: 'INTERNAL_ERROR', message: 'Internal error' } };
}

/** Maps every error to `{ code, message, details? }`. Anything unexpected is logged as a bug. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500) {
      this.logger.error({ reqId: request?.id, err: exception instanceof Error ? exception.stack : String(exception) });
    }
    const wantsJson = /json/.test(String(request?.headers?.accept ?? ''));
    if (status < 500 && status !== 429 && CONSUMER_PAGE_PATH.test(request?.url ?? '') && !wantsJson) {
      void reply.status(status).header('Cache-Control', 'private, no-store').type('text/html; charset=utf-8').send(renderNotFoundPage());
      return;
    }
    if (status === 429 && body.details?.retryAfterSeconds) {
      void reply.header('Retry-After', String(body.details.retryAfterSeconds));
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
