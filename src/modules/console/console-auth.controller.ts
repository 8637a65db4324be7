import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDomainError } from '../../../libs/errors';
import { Public } from '../auth';
import { ConsoleAuthService } from './console-auth.service';
import { ConsoleExceptionFilter } from './console-errors';
import { ConsoleGate, sameToken } from './console-gate';
import { cookies, field, formBody, html, LOGIN_CSRF_COOKIE, redirect, safeNext, SESSION_COOKIE, setCookie } from './console-http';
import { formProblems, messageForCode } from './domain/error-messages';
import { invitePage, loginPage } from './views/auth-pages';
import { CONSOLE_JS } from './views/console-script';
import { CONSOLE_CSS, EMPTY_FORM, formState } from './views/layout';

const JSQR = readFileSync(require.resolve('jsqr/dist/jsQR.js'));

/** Accounts: login, logout (here and everywhere), accepting an invitation; the console's static files. */
@ApiExcludeController()
@Public()
@UseFilters(ConsoleExceptionFilter)
@Controller('app')
export class ConsoleAuthController {
  constructor(
    private readonly auth: ConsoleAuthService,
    private readonly gate: ConsoleGate,
  ) {}

  @Get('static/console.js')
  script(@Res() reply: FastifyReply) {
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_JS);
  }

  @Get('static/console.css')
  stylesheet(@Res() reply: FastifyReply) {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(CONSOLE_CSS);
  }

  @Get('static/jsqr.js')
  jsqr(@Res() reply: FastifyReply) {
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(JSQR);
  }

  @Get('login')
  loginForm(@Req() request: FastifyRequest, @Query('next') next: string | undefined, @Query('out') out: string | undefined, @Res() reply: FastifyReply) {
    const notice = out === 'all' ? '已在所有设备上退出' : out ? '已退出' : next ? '请先登录（登录后回到刚才的页面）' : undefined;
    return html(reply, loginPage(EMPTY_FORM, this.loginCsrf(request, reply), safeNext(next), notice));
  }

  @Post('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const next = safeNext(field(body, 'next'));
    const state = formState({ loginName: field(body, 'loginName') });
    const csrfCookie = cookies(request)[LOGIN_CSRF_COOKIE] ?? '';
    if (!sameToken(field(body, '_csrf'), csrfCookie)) {
      const problems = { fields: {}, general: messageForCode('CSRF_FAILED') };
      return html(reply, loginPage(formState(state.values, problems), this.loginCsrf(request, reply), next), 403);
    }
    try {
      const session = await this.auth.login(field(body, 'loginName'), String(body.password ?? ''));
      setCookie(reply, SESSION_COOKIE, session.id, { maxAge: session.maxAgeSeconds, secure: this.auth.secureCookies });
      return redirect(reply, next);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error, ['password']);
      if (error.code === 'ACCOUNT_LOCKED') {
        const seconds = Number(error.details?.retryAfterSeconds ?? 0);
        problems.fields = {};
        problems.general = `${messageForCode('ACCOUNT_LOCKED')}，请 ${seconds >= 60 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`}后再试`;
      }
      const status = error.code === 'ACCOUNT_LOCKED' ? 429 : 401;
      if (status === 429) void reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 60));
      return html(reply, loginPage(formState(state.values, problems), csrfCookie, next), status);
    }
  }

  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.gate.post(request);
    await this.auth.logout(cookies(request)[SESSION_COOKIE]);
    setCookie(reply, SESSION_COOKIE, '', { maxAge: 0, secure: this.auth.secureCookies });
    return redirect(reply, '/app/login?out=1');
  }

  @Post('logout-everywhere')
  async logoutEverywhere(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.gate.post(request);
    await this.auth.logoutEverywhere(ctx.user.id);
    setCookie(reply, SESSION_COOKIE, '', { maxAge: 0, secure: this.auth.secureCookies });
    return redirect(reply, '/app/login?out=all');
  }

  @Get('invite/:token')
  async inviteForm(@Req() request: FastifyRequest, @Param('token') token: string, @Res() reply: FastifyReply) {
    const user = await this.auth.invitation(token);
    if (!user) return this.inviteGone(reply);
    return html(reply, invitePage(token, user, EMPTY_FORM, this.loginCsrf(request, reply)));
  }

  @Post('invite/:token')
  async acceptInvite(@Req() request: FastifyRequest, @Param('token') token: string, @Res() reply: FastifyReply) {
    const body = formBody(request);
    const user = await this.auth.invitation(token);
    if (!user) return this.inviteGone(reply);
    const csrfCookie = cookies(request)[LOGIN_CSRF_COOKIE] ?? '';
    if (!sameToken(field(body, '_csrf'), csrfCookie)) {
      return html(reply, invitePage(token, user, formState({}, { fields: {}, general: messageForCode('CSRF_FAILED') }), this.loginCsrf(request, reply)), 403);
    }
    try {
      const session = await this.auth.acceptInvite(token, String(body.password ?? ''), String(body.confirm ?? ''));
      setCookie(reply, SESSION_COOKIE, session.id, { maxAge: session.maxAgeSeconds, secure: this.auth.secureCookies });
      return redirect(reply, '/app');
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const problems = formProblems(error, ['password', 'confirm']);
      if (error.code === 'WEAK_PASSWORD') {
        const words: Record<string, string> = {
          min_length: '至少 10 个字符', max_length: '最多 200 个字符', contains_login: '密码不能包含登录名', too_simple: '密码过于简单：至少用 4 种不同的字符', same_password: '两次输入的密码不一致',
        };
        const listed = (error.details?.fields as { field: string; rule: string }[] | undefined) ?? [];
        problems.fields = Object.fromEntries(listed.map((f) => [f.field, words[f.rule] ?? messageForCode('WEAK_PASSWORD')]));
        problems.general = null;
      }
      return html(reply, invitePage(token, user, formState({}, problems), csrfCookie), 422);
    }
  }

  private inviteGone(reply: FastifyReply) {
    return html(reply, loginPage(formState({}, { fields: {}, general: messageForCode('INVITE_INVALID') }), '', '/app'), 410);
  }

  /** The login form's double-submit token: reuse the cookie's, or set a new one. */
  private loginCsrf(request: FastifyRequest, reply: FastifyReply): string {
    const existing = cookies(request)[LOGIN_CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
    const token = randomBytes(24).toString('base64url');
    setCookie(reply, LOGIN_CSRF_COOKIE, token, { maxAge: 3600 * 12, secure: this.auth.secureCookies });
    return token;
  }
}
