import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type ErrorDetails } from '../../../libs/errors';
import { statusForCode } from '../../error-codes';
import { databaseInputError } from '../../common/domain-exception.filter';
import { html, redirect, returnPath } from './console-http';
import { messageForCode } from './domain/error-messages';
import { consolePage, Frame } from './views/layout';

/** Thrown when a console page needs a session and has none (or it expired). */
export class LoginRequired extends Error {
  constructor() {
    super('login required');
  }
}

/**
 * Console pages answer people, not programs: no session → the login page (then back to where they
 * were); a refused action → a page in plain Chinese; a JSON poll gets 401 so its script can reload.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    if (exception instanceof LoginRequired) {
      if (wantsJson) {
        void reply.status(401).send({ code: 'UNAUTHENTICATED', message: 'Session expired' });
        return;
      }
      void redirect(reply, `/app/login?next=${encodeURIComponent(returnPath(request))}`);
      return;
    }
    let status = 500;
    let message = '系统出错了，请稍后再试';
    let code: ErrorCode = 'INTERNAL_ERROR';
    let details: ErrorDetails | undefined;
    const refused = databaseInputError(exception);
    if (refused) this.logger.warn(`database refused a value that input validation let through: ${(exception as Error).message}`);
    const domain = exception instanceof DomainError ? exception : refused;
    if (domain) {
      code = domain.code;
      details = domain.details;
      status = statusForCode(domain.code);
      message = messageForCode(domain.code);
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    if (wantsJson) {
      void reply.status(status).send(details ? { code, message, details } : { code, message });
      return;
    }
    void html(reply, consolePage(
      <Frame title="出错了 · 天府溯源">
        <main><div class="card" role="alert"><h1>{message}</h1><p class="muted">代码 {code}</p><p><a href="/app">返回首页</a></p></div></main>
      </Frame>,
    ), status);
  }
}
