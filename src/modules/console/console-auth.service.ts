import { Algorithm, hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../common/db-errors';
import { Actor, isAdmin } from '../auth/actor';
import { OrganizationsService } from '../organizations/organizations.service';
import { ConsoleSession } from './console-session.entity';
import { ConsoleUser } from './console-user.entity';
import { ConsoleRole, consoleRolesFor, effectiveConsoleRole } from './domain/console-roles';
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

@Injectable()
export class ConsoleAuthService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectRepository(ConsoleUser) private readonly users: Repository<ConsoleUser>,
    @InjectRepository(ConsoleSession) private readonly sessions: Repository<ConsoleSession>,
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks a password and opens a session. Wrong passwords count towards a lockout with back-off;
   * a locked account is refused without looking at the password. Unknown names cost the same
   * argon2 time as known ones.
   */
  async login(loginName: string, password: string, now = new Date()): Promise<NewSession> {
    const user = await this.users.findOneBy({ loginName: normalizeLogin(loginName) });
    const locked = user ? secondsLocked(user.lockedUntil, now) : 0;
    if (user && locked > 0) {
      throw new DomainError('ACCOUNT_LOCKED', 'Too many wrong passwords; try again later', { retryAfterSeconds: locked });
    }
    const ok = user?.passwordHash
      ? await argonVerify(user.passwordHash, password)
      : (await argonVerify(await this.dummy(), password), false);
    if (!user || !ok) {
      const lockFor = user ? await this.countFailure(user.id, now) : 0;
      if (lockFor > 0) throw new DomainError('ACCOUNT_LOCKED', 'Too many wrong passwords; try again later', { retryAfterSeconds: lockFor });
      throw new DomainError('LOGIN_FAILED', 'Login name or password is wrong', { field: 'password' });
    }
    // Only a change is written (and audited): most logins have no failures to forget.
    if (user.failedLogins > 0 || user.lockedUntil) {
      await this.users.manager.transaction((m) => m.update(ConsoleUser, { id: user.id }, { failedLogins: 0, lockedUntil: null }));
    }
    return this.openSession(user.id, now);
  }

  /** Counts a wrong password, in one audited transaction; returns the seconds the account is now locked for (0: not). */
  private countFailure(userId: string, now: Date): Promise<number> {
    return this.users.manager.transaction(async (m) => {
      const bumped = await m.createQueryBuilder().update(ConsoleUser)
        .set({ failedLogins: () => 'failed_logins + 1' }).where('id = :id', { id: userId })
        .returning('failed_logins').execute();
      const lockFor = lockSecondsAfter(Number((bumped.raw as { failed_logins: number }[])[0]?.failed_logins ?? 0));
      if (lockFor > 0) await m.update(ConsoleUser, { id: userId }, { lockedUntil: new Date(now.getTime() + lockFor * 1000) });
      return lockFor;
    });
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
      // A regulator reads its organisation's jurisdiction, as a regulator API key does.
      actor: { role, organizationId: org.id, regionCode: role === 'regulator' ? org.regionCode : null, apiKeyId: null },
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
        invitedBy: null,
      }));
      return { userId: user.id, loginName, role: input.role as ConsoleRole, token, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('LOGIN_NAME_TAKEN', 'This login name is taken', { field: 'loginName', rule: 'unique' });
      throw error;
    }
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
    const problem = password !== confirm ? 'same_password' : passwordProblem(password, user.loginName);
    if (problem) throw new DomainError('WEAK_PASSWORD', `password: ${problem}`, { field: problem === 'same_password' ? 'confirm' : 'password', rule: problem });
    const passwordHash = await argonHash(password, ARGON);
    const result = await this.users.manager.transaction((m) => m.update(ConsoleUser, { id: user.id, inviteHash: user.inviteHash! }, {
      passwordHash, inviteHash: null, inviteExpiresAt: null, failedLogins: 0, lockedUntil: null,
    }));
    if (!result.affected) throw new DomainError('INVITE_INVALID', 'The invitation link was used meanwhile');
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
