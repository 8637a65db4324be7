import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type ErrorDetails } from '../../libs/errors';
import { statusForCode } from '../error-codes';
import { CONSUMER_PAGE_PATH, notFoundKindOf, renderNotFoundPage } from './html';

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

/**
 * PostgreSQL's refusals of a value (SQLSTATE class 22 caused by input): NUL in text, characters the
 * encoding lacks, impossible or out-of-range dates, numbers or text too large for the column,
 * malformed uuids. Input checks name the field first; this is the last line of defence.
 */
const INPUT_SQLSTATES: Record<string, string> = {
  22021: 'character_not_in_repertoire',
  '22P05': 'untranslatable_character',
  22007: 'invalid_datetime_format',
  22008: 'datetime_field_overflow',
  22001: 'string_data_right_truncation',
  22003: 'numeric_value_out_of_range',
  '22P02': 'invalid_text_representation',
};

/** A database error that a client's value caused, as a 400 DomainError; undefined for anything else. */
export function databaseInputError(exception: unknown): DomainError | undefined {
  const error = exception as { name?: string; code?: unknown; driverError?: { code?: unknown } } | null;
  if (error?.name !== 'QueryFailedError') return undefined;
  const sqlState = String(error.driverError?.code ?? error.code ?? '');
  const rule = INPUT_SQLSTATES[sqlState];
  return rule ? new DomainError('UNSTORABLE_VALUE', 'The request holds a value that cannot be stored', { rule, sqlState }) : undefined;
}

export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  const refused = databaseInputError(exception);
  if (refused) {
    return toErrorResponse(refused);
  }
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
    replyWithError(request, reply, exception, this.logger);
  }
}

/** The error reply for a request (JSON, or the not-found page on consumer pages); shared with hooks that refuse a request early. */
export function replyWithError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger = new Logger('Errors')): void {
  const { status, body } = toErrorResponse(exception);
  if (status >= 500) {
    logger.error({ reqId: request?.id, err: exception instanceof Error ? exception.stack : String(exception) });
  } else if (databaseInputError(exception)) {
    // An input check is missing somewhere: the client gets a 400, the log says where.
    logger.warn({ reqId: request?.id, msg: 'database refused a value that input validation let through', err: exception instanceof Error ? exception.message : String(exception) });
  }
  const wantsJson = /json/.test(String(request?.headers?.accept ?? ''));
  if (status < 500 && status !== 429 && CONSUMER_PAGE_PATH.test(request?.url ?? '') && !wantsJson) {
    void reply.status(status).header('Cache-Control', 'private, no-store').type('text/html; charset=utf-8').send(renderNotFoundPage(notFoundKindOf(request.url)));
    return;
  }
  if (status === 429 && body.details?.retryAfterSeconds) {
    void reply.header('Retry-After', String(body.details.retryAfterSeconds));
  }
  void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
}
