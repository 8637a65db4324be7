import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../libs/errors';
import { replyWithError } from './domain-exception.filter';
import { page } from './html';
import { findTextProblem, TextProblem } from './text-rules';

/** The first hostile string (or too-deep nesting) in a request's path parameters, query string or body. */
export function inputProblem(request: FastifyRequest): TextProblem | undefined {
  const body = ArrayBuffer.isView(request.body) ? undefined : request.body;
  return findTextProblem(request.params ?? {})
    ?? findTextProblem(request.query ?? {})
    ?? findTextProblem(body ?? {}, typeof body === 'string' ? 'body' : '');
}

/**
 * Refuses NUL, lone surrogates, control and bidirectional override characters and JSON nested
 * deeper than MAX_DEPTH in every request, after parsing and before any handler, guard, pipe or
 * parser that recurses sees them: PostgreSQL refuses NUL (a 500 once it got there), class-transformer
 * overflows the stack on deep JSON, and such text makes labels unprintable. The 400 names the field.
 */
export function guardInput(instance: FastifyInstance): void {
  instance.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const problem = inputProblem(request);
    if (!problem) return;
    const field = problem.field || 'body';
    const error = new DomainError('VALIDATION_FAILED', `${field}: ${problem.message}`, { fields: [{ ...problem, field }] });
    if (request.url.startsWith('/app') && !/json/.test(String(request.headers.accept ?? ''))) {
      // A person pasted text with invisible characters into a console form: a page, not JSON.
      await reply.status(400).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page('无法提交 · 天府溯源', (
        <main class="notfound">
          <h1>填写的内容含有不允许的字符</h1>
          <p>「{field}」中有不可见的控制字符或方向控制符（常见于从其他软件复制的文字）。请返回上一页，删除后重新输入再提交。</p>
          <p class="muted">代码 VALIDATION_FAILED</p>
        </main>
      )));
      return reply;
    }
    replyWithError(request, reply, error);
    return reply;
  });
}
