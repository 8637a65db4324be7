import { Algorithm, hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../common/db-errors';
import { ANONYMOUS_ACTOR, AuditActor, runAsAuditActor, AuditService } from '../audit';
import { Actor, isAdmin, userRef } from '../auth';
import { OrganizationsService } from '../organizations';
import { ConsoleSession } from './console-session.entity';
import { ConsoleUser } from './console-user.entity';
import { ConsolePage, consolePagesFor, ConsoleRole, consoleRolesFor, effectiveConsoleRole } from './domain/console-roles';
import { lockSecondsAfter, passwordProblem, secondsLocked } from './domain/lockout';

/** argon2id, OWASP's second recommended setting (19 MiB, 2 passes). */
const ARGON = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const IDLE_MS = 8 * 3600_000;
const ABSOLUTE_MS = 7 * 24 * 3600_000;
const INVITE_MS = 72 * 3600_000;
/** Sessions are touched (idle expiry pushed forward) at most this often. */
const TOUCH_MS = 5 * 60_000;

export interface ConsoleContext {
  user: { id: string; loginName: string; displayName: string; role: ConsoleRole };
  organization: { id: string; name: string; kind: string };
  /** The workspaces this person may open (navigation shows them, the gate refuses the rest). */
  pages: readonly ConsolePage[];
  /** The same Actor the API builds from a key, so services apply the same tenancy. */
  actor: Actor;
  csrf: string;
}

export interface NewSession {
  id: string;
  maxAgeSeconds: number;
}

export interface Invitation {
  userId: string;
  loginName: string;
  role: ConsoleRole;
  token: string;
  expiresAt: string;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function normalizeLogin(value: string): string {
  return value.trim().toLowerCase();
}

function accountLocked(seconds: number): DomainError {
  return new DomainError('ACCOUNT_LOCKED', 'Too many wrong passwords; try again later', { retryAfterSeconds: seconds });
}

@Injectable()
export class ConsoleAuthService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectRepository(ConsoleUser) private readonly users: Repository<ConsoleUser>,
    @InjectRepository(ConsoleSession) private readonly sessions: Repository<ConsoleSession>,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks a password and opens a session. Wrong passwords count towards a lockout with back-off;
   * a locked account is refused without looking at the password. Unknown names cost the same
   * argon2 time as known ones.
   */
  async login(loginName: string, password: string, now = new Date()): Promise<NewSession> {
    const user = await this.users.findOneBy({ loginName: normalizeLogin(loginName) });
    if (!user) {
      await argonVerify(await this.dummy(), password);
      throw new DomainError('LOGIN_FAILED', 'Login name or password is wrong', { field: 'password' });
    }
    const attempt = await this.countAttempt(user, now);
    if ('lockedFor' in attempt) throw accountLocked(attempt.lockedFor);
    const ok = user.passwordHash ? await argonVerify(user.passwordHash, password) : (await argonVerify(await this.dummy(), password), false);
    if (!ok) {
      if (attempt.lockFor > 0) throw accountLocked(attempt.lockFor);
      throw new DomainError('LOGIN_FAILED', 'Login name or password is wrong', { field: 'password' });
    }
    await this.forgetFailures(user);
    return this.openSession(user.id, now);
  }

  /**
   * Counts an attempt as a failure BEFORE its password is checked (a right one is forgotten again),
   * in one atomic UPDATE … RETURNING that a locked account does not match: parallel attempts each
   * get their own number, and the one that reaches the limit locks the row before the next can
   * count, so a burst cannot have more guesses evaluated than the lockout allows. (A row lock
   * held across the argon2 check would do the same but keep a pooled connection per waiting
   * request.) Listeners are off and the change is recorded by hand: an update by criteria would be
   * filed under subject '*'.
   */
  private countAttempt(user: ConsoleUser, now: Date): Promise<{ lockFor: number } | { lockedFor: number }> {
    return runAsAuditActor(ANONYMOUS_ACTOR, () => this.users.manager.transaction(async (m) => {
      const counted = await m.createQueryBuilder().update(ConsoleUser).callListeners(false)
        .set({ failedLogins: () => 'failed_logins + 1' })
        .where('id = :id AND (locked_until IS NULL OR locked_until <= :now)', { id: user.id, now })
        .returning('failed_logins').execute();
      const row = (counted.raw as { failed_logins: number }[])[0];
      if (!row) {
        const current = await m.findOneBy(ConsoleUser, { id: user.id });
        return { lockedFor: Math.max(1, secondsLocked(current?.lockedUntil ?? null, now)) };
      }
      const failures = Number(row.failed_logins);
      const lockFor = lockSecondsAfter(failures);
      const lockedUntil = lockFor > 0 ? new Date(now.getTime() + lockFor * 1000) : null;
      if (lockedUntil) {
        await m.createQueryBuilder().update(ConsoleUser).callListeners(false).set({ lockedUntil }).where('id = :id', { id: user.id }).execute();
      }
      await this.audit.record(m, {
        action: 'console_user.login_attempt', subject: { type: 'console_users', id: user.id }, organizationId: user.organizationId,
        details: { failedLogins: failures, lockedUntil: lockedUntil?.toISOString() ?? null },
      });
      return { lockFor };
    }));
  }

  /** A right password: the attempts counted so far (this one included) are forgotten, as the person. */
  private forgetFailures(user: ConsoleUser): Promise<void> {
    return runAsAuditActor(this.auditActorFor(user), () => this.users.manager.transaction(async (m) => {
      await m.createQueryBuilder().update(ConsoleUser).callListeners(false)
        .set({ failedLogins: 0, lockedUntil: null }).where('id = :id', { id: user.id }).execute();
      await this.audit.record(m, {
        action: 'console_user.login_succeeded', subject: { type: 'console_users', id: user.id }, organizationId: user.organizationId,
      });
    }));
  }

  private auditActorFor(user: ConsoleUser): AuditActor {
    return { kind: user.role, id: userRef(user.id), organizationId: user.organizationId };
  }

  /** The session's context, or null when the cookie is missing, unknown or expired. */
  async resolve(rawId: string | undefined, now = new Date()): Promise<ConsoleContext | null> {
    if (!rawId || !/^[A-Za-z0-9_-]{43}$/.test(rawId)) return null;
    const idHash = sha256(rawId);
    const session = await this.sessions.findOneBy({ idHash });
    if (!session || session.expiresAt <= now || session.absoluteExpiresAt <= now) return null;
    const user = await this.users.findOneBy({ id: session.userId });
    const org = user ? await this.organizations.summary(user.organizationId) : null;
    const role = user && org ? effectiveConsoleRole(org.kind, user.role) : null;
    if (!user || !org || !role || !user.passwordHash) return null;
    if (session.expiresAt.getTime() - now.getTime() < IDLE_MS - TOUCH_MS) {
      const expiresAt = new Date(Math.min(now.getTime() + IDLE_MS, session.absoluteExpiresAt.getTime()));
      await this.sessions.update({ idHash }, { expiresAt });
    }
    return {
      user: { id: user.id, loginName: user.loginName, displayName: user.displayName, role },
      organization: { id: org.id, name: org.name, kind: org.kind },
      pages: consolePagesFor(org.kind, role),
      // A regulator reads its organisation's jurisdiction, as a regulator API key does.
      actor: { role, organizationId: org.id, regionCode: role === 'regulator' ? org.regionCode : null, apiKeyId: null, userId: user.id },
      csrf: session.csrfToken,
    };
  }

  async logout(rawId: string | undefined): Promise<void> {
    if (rawId) await this.sessions.delete({ idHash: sha256(rawId) });
  }

  /** Logout everywhere: every session of the user ends, on every device. */
  async logoutEverywhere(userId: string): Promise<number> {
    const result = await this.sessions.delete({ userId });
    return result.affected ?? 0;
  }

  /**
   * Invites a person into an organisation: a user without a password and a one-time link.
   * The platform admin may invite anyone (the first org_admin); an org_admin invites into their own
   * organisation.
   */
  async invite(actor: Actor, organizationId: string, input: { loginName: string; displayName: string; role: string }): Promise<Invitation> {
    if (!isAdmin(actor) && !(actor.role === 'org_admin' && actor.organizationId === organizationId)) {
      throw new DomainError(isUuid(organizationId) && actor.organizationId ? 'NOT_FOUND' : 'FORBIDDEN', 'Only the platform admin or this organisation\'s org_admin can invite');
    }
    const org = isUuid(organizationId) ? await this.organizations.summary(organizationId) : null;
    if (!org) throw new DomainError('NOT_FOUND', 'Organization not found');
    const allowed = consoleRolesFor(org.kind);
    if (!(allowed as readonly string[]).includes(input.role)) {
      throw new DomainError('VALIDATION_FAILED', `role must be ${allowed.join(' or ')} in a ${org.kind} organisation`, { field: 'role', rule: 'isIn' });
    }
    const loginName = normalizeLogin(input.loginName);
    if (!/^[a-z0-9][a-z0-9._@-]{2,59}$/.test(loginName)) {
      throw new DomainError('VALIDATION_FAILED', 'loginName: 3–60 letters, digits, . _ @ -', { field: 'loginName', rule: 'matches' });
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + INVITE_MS);
    try {
      const user = await this.users.save(this.users.create({
        organizationId: org.id, loginName, displayName: input.displayName.trim() || loginName, role: input.role,
        passwordHash: null, inviteHash: sha256(token), inviteExpiresAt: expiresAt,
        invitedBy: actor.userId ?? null,
      }));
      return { userId: user.id, loginName, role: input.role as ConsoleRole, token, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('LOGIN_NAME_TAKEN', 'This login name is taken', { field: 'loginName', rule: 'unique' });
      throw error;
    }
  }

  /** The link an invited person opens: always on PUBLIC_BASE_URL, never on the request's Host header. */
  inviteUrl(token: string): string {
    return `${this.config.publicBaseUrl}/app/invite/${token}`;
  }

  /** The invited user behind a link, or null when it is unknown, used or expired. */
  async invitation(token: string, now = new Date()): Promise<ConsoleUser | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const user = await this.users.findOneBy({ inviteHash: sha256(token) });
    return user && user.inviteExpiresAt && user.inviteExpiresAt > now ? user : null;
  }

  /** Sets the invited person's password (the link then stops working) and opens a session. */
  async acceptInvite(token: string, password: string, confirm: string): Promise<NewSession> {
    const user = await this.invitation(token);
    if (!user) throw new DomainError('INVITE_INVALID', 'The invitation link is unknown, used or expired');
    // Every problem at once: a weak password and a confirmation that differs are both named.
    const weak = passwordProblem(password, user.loginName);
    const fields = [
      ...(weak ? [{ field: 'password', rule: weak, message: `password: ${weak}` }] : []),
      ...(password !== confirm ? [{ field: 'confirm', rule: 'same_password', message: 'confirm: the two passwords differ' }] : []),
    ];
    if (fields.length) throw new DomainError('WEAK_PASSWORD', fields.map((f) => f.message).join('; '), { field: fields[0].field, rule: fields[0].rule, fields });
    const passwordHash = await argonHash(password, ARGON);
    // Saved (not updated by criteria) so the audit log names the account, and the person as actor.
    const accepted = await runAsAuditActor(this.auditActorFor(user), () => this.users.manager.transaction(async (m) => {
      const row = await m.findOne(ConsoleUser, { where: { id: user.id, inviteHash: user.inviteHash! }, lock: { mode: 'pessimistic_write' } });
      if (!row) return false;
      await m.save(m.merge(ConsoleUser, row, { passwordHash, inviteHash: null, inviteExpiresAt: null, failedLogins: 0, lockedUntil: null }));
      return true;
    }));
    if (!accepted) throw new DomainError('INVITE_INVALID', 'The invitation link was used meanwhile');
    return this.openSession(user.id, new Date());
  }

  async listUsers(organizationId: string): Promise<ConsoleUser[]> {
    return this.users.find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  private async openSession(userId: string, now: Date): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    await this.sessions.delete({ userId, absoluteExpiresAt: LessThan(now) });
    await this.sessions.insert({
      idHash: sha256(id), userId, csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: new Date(now.getTime() + IDLE_MS), absoluteExpiresAt: new Date(now.getTime() + ABSOLUTE_MS),
    });
    return { id, maxAgeSeconds: ABSOLUTE_MS / 1000 };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= argonHash(randomBytes(16).toString('hex'), ARGON);
    return this.dummyHash;
  }

  /** Cookies carry Secure when the public origin is https. */
  get secureCookies(): boolean {
    return this.config.publicBaseUrl.startsWith('https:');
  }
}
