import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../../libs/errors';
import { auditActorOf, bindAuditActor } from '../audit';
import { ConsoleAuthService, ConsoleContext } from './console-auth.service';
import { LoginRequired } from './console-errors';
import { cookies, field, formBody, SESSION_COOKIE } from './console-http';

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Every console route passes here: a live session, and on POST the session's CSRF token. */
@Injectable()
export class ConsoleGate {
  constructor(private readonly auth: ConsoleAuthService) {}

  async page(request: FastifyRequest): Promise<ConsoleContext> {
    const ctx = await this.auth.resolve(cookies(request)[SESSION_COOKIE]);
    if (!ctx) throw new LoginRequired();
    // Every change this request makes is recorded as the person's, not as 'system'.
    bindAuditActor(auditActorOf(ctx.actor));
    return ctx;
  }

  async post(request: FastifyRequest): Promise<ConsoleContext> {
    const ctx = await this.page(request);
    if (!sameToken(field(formBody(request), '_csrf'), ctx.csrf)) {
      throw new DomainError('CSRF_FAILED', 'The form is missing its CSRF token or it does not match the session');
    }
    return ctx;
  }

  async admin(request: FastifyRequest, post: boolean): Promise<ConsoleContext> {
    const ctx = post ? await this.post(request) : await this.page(request);
    if (ctx.user.role !== 'org_admin') throw new DomainError('FORBIDDEN', 'Only an org_admin can manage accounts and keys');
    return ctx;
  }
}
