/**
 * Authentication: password login with lockout, rotating refresh tokens with reuse detection, logout, API keys,
 * and turning a request's credentials into a Principal. Every login (success or failure), logout and key or
 * user change is audited.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { AuditEventInput } from '../../platform/audit/log.ts';
import {
  decoyPasswordHash,
  hashPassword,
  passwordProblems,
  verifyPassword,
} from '../../platform/auth/passwords.ts';
import { isRole, type Principal, type Role } from '../../platform/auth/roles.ts';
import {
  API_KEY_PATTERN,
  newApiKey,
  newRefreshToken,
  secretMatches,
  sha256,
} from '../../platform/auth/tokens.ts';
import { CoherentCache } from '../../platform/changes.ts';
import {
  ConflictError,
  DomainError,
  invalidField,
  NotFoundError,
  UnauthorizedError,
} from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; role: Role; fullName: string; practiceId: string | null };
}

export interface UserView {
  id: string;
  email: string;
  role: Role;
  fullName: string;
  practiceId: string | null;
  providerId: string | null;
  active: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

const REVOKED_PREFIX = 'auth:revoked-session:';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface CachedApiKey {
  secretHash: string;
  /** Epoch milliseconds, or null for a key that does not expire. */
  expiresAt: number | null;
  principal: Principal;
}

export class AuthService {
  readonly #p: Platform;
  readonly #revocations = new LRUCache<string, boolean>({ max: 50_000 });
  /**
   * Valid API keys by prefix, kept coherent by the change feed: a revocation anywhere (another process, the CLI,
   * psql) empties the entry at commit (migration 0006).
   */
  readonly #apiKeys: CoherentCache<CachedApiKey>;

  constructor(platform: Platform) {
    this.#p = platform;
    this.#apiKeys = new CoherentCache(platform.changes, 'api_key', { max: 1000, ttlMs: 5 * 60_000 });
  }

  #audit(event: AuditEventInput) {
    return this.#p.audit.record(event);
  }

  async login(emailInput: string, password: string, meta: RequestMeta): Promise<TokenPair> {
    const email = emailInput.trim().toLowerCase();
    const { db, config } = this.#p;
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirst();
    const base = { action: 'auth.login', actorType: 'anonymous' as const, ...meta, details: { email } };
    if (!user?.active) {
      await verifyPassword(await decoyPasswordHash(), password);
      this.#p.metrics.authAttempts.inc({ method: 'password', outcome: 'failure' });
      await this.#audit({
        ...base,
        outcome: 'failure',
        details: { email, reason: user ? 'inactive' : 'unknown_email' },
      });
      throw new UnauthorizedError('invalid email or password');
    }
    const actor = {
      actorType: 'user' as const,
      actorId: user.id,
      actorRole: user.role,
      practiceId: user.practice_id,
    };
    if (user.locked_until && user.locked_until.getTime() > Date.now()) {
      this.#p.metrics.authAttempts.inc({ method: 'password', outcome: 'locked' });
      await this.#audit({ ...base, ...actor, outcome: 'denied', details: { email, reason: 'locked' } });
      const seconds = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
      throw new DomainError(
        423,
        'account-locked',
        'Account locked',
        'too many failed logins; try again later',
        {
          headers: { 'retry-after': String(seconds) },
          extensions: { lockedUntil: user.locked_until.toISOString() },
        },
      );
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      const failures = user.failed_login_count + 1;
      const lock = failures >= config.loginMaxFailures;
      await db
        .updateTable('users')
        .set({
          failed_login_count: lock ? 0 : failures,
          locked_until: lock ? new Date(Date.now() + config.loginLockoutSeconds * 1000) : null,
          updated_at: new Date(),
        })
        .where('id', '=', user.id)
        .execute();
      this.#p.metrics.authAttempts.inc({ method: 'password', outcome: 'failure' });
      await this.#audit({
        ...base,
        ...actor,
        outcome: 'failure',
        details: { email, reason: 'bad_password', failures, locked: lock },
      });
      throw new UnauthorizedError('invalid email or password');
    }
    await db
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: null, last_login_at: new Date(), updated_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    const pair = await this.#issue(user, randomUUID());
    this.#p.metrics.authAttempts.inc({ method: 'password', outcome: 'success' });
    await this.#audit({
      ...base,
      ...actor,
      outcome: 'success',
      details: { email, sessionId: pair.sessionId },
    });
    return pair.tokens;
  }

  async #issue(
    user: { id: string; email: string; role: string; full_name: string; practice_id: string | null },
    familyId: string,
  ): Promise<{ tokens: TokenPair; sessionId: string }> {
    if (!isRole(user.role)) throw new Error(`user ${user.id} has an unknown role ${user.role}`);
    const refreshToken = newRefreshToken();
    await this.#p.db
      .insertInto('refresh_tokens')
      .values({
        user_id: user.id,
        family_id: familyId,
        token_hash: sha256(refreshToken),
        expires_at: new Date(Date.now() + this.#p.config.refreshTokenTtlSeconds * 1000),
      })
      .execute();
    const accessToken = this.#p.tokens.issueAccessToken({
      sub: user.id,
      role: user.role,
      pid: user.practice_id,
      sid: familyId,
      email: user.email,
    });
    return {
      sessionId: familyId,
      tokens: {
        accessToken,
        refreshToken,
        tokenType: 'Bearer',
        expiresIn: this.#p.tokens.ttlSeconds,
        user: {
          id: user.id,
          email: user.email,
          role: user.role,
          fullName: user.full_name,
          practiceId: user.practice_id,
        },
      },
    };
  }

  /**
   * Exchanges a refresh token for a new pair. The old token is spent; presenting a spent token again (a
   * stolen copy in use) revokes the whole session.
   */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<TokenPair> {
    const { db } = this.#p;
    const row = await db
      .selectFrom('refresh_tokens')
      .innerJoin('users', 'users.id', 'refresh_tokens.user_id')
      .select([
        'refresh_tokens.id',
        'refresh_tokens.family_id',
        'refresh_tokens.expires_at',
        'refresh_tokens.revoked_at',
        'users.id as user_id',
        'users.email',
        'users.role',
        'users.full_name',
        'users.practice_id',
        'users.active',
      ])
      .where('token_hash', '=', sha256(refreshToken))
      .executeTakeFirst();
    const base = { action: 'auth.refresh', ...meta };
    if (!row) {
      await this.#audit({
        ...base,
        actorType: 'anonymous',
        outcome: 'failure',
        details: { reason: 'unknown_token' },
      });
      throw new UnauthorizedError('invalid refresh token');
    }
    const actor = {
      actorType: 'user' as const,
      actorId: row.user_id,
      actorRole: row.role,
      practiceId: row.practice_id,
    };
    if (row.revoked_at) {
      await this.#revokeFamily(row.family_id);
      await this.#audit({
        ...base,
        ...actor,
        outcome: 'denied',
        details: { reason: 'token_reuse', sessionId: row.family_id },
      });
      throw new UnauthorizedError('refresh token already used; the session has been revoked');
    }
    if (row.expires_at.getTime() <= Date.now() || !row.active) {
      await this.#audit({
        ...base,
        ...actor,
        outcome: 'failure',
        details: { reason: row.active ? 'expired' : 'inactive' },
      });
      throw new UnauthorizedError('refresh token expired');
    }
    const spent = await db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', row.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new UnauthorizedError('refresh token already used');
    const { tokens } = await this.#issue(
      {
        id: row.user_id,
        email: row.email,
        role: row.role,
        full_name: row.full_name,
        practice_id: row.practice_id,
      },
      row.family_id,
    );
    await this.#audit({ ...base, ...actor, outcome: 'success', details: { sessionId: row.family_id } });
    return tokens;
  }

  async #revokeFamily(familyId: string): Promise<void> {
    await this.#p.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
    await this.#p.cache.set(REVOKED_PREFIX + familyId, '1', this.#p.config.accessTokenTtlSeconds + 60);
    this.#revocations.set(familyId, true, { ttl: this.#p.config.accessTokenTtlSeconds * 1000 });
  }

  /** Ends the session of the caller's access token: its refresh tokens are revoked and the access token refused. */
  async logout(principal: Principal, meta: RequestMeta): Promise<void> {
    if (principal.type !== 'user' || !principal.sessionId) {
      throw new DomainError(400, 'not-a-session', 'Not a session', 'API keys have no session to log out of');
    }
    await this.#revokeFamily(principal.sessionId);
    await this.#audit({
      action: 'auth.logout',
      actorType: 'user',
      actorId: principal.id,
      actorRole: principal.role,
      practiceId: principal.practiceId,
      outcome: 'success',
      ...meta,
      details: { sessionId: principal.sessionId },
    });
  }

  /**
   * Resolves credentials: `Authorization: Bearer <jwt|api key>` or `X-API-Key`. Returns null when none are
   * given; throws UnauthorizedError when they are given but not valid.
   */
  async authenticate(
    authorization: string | undefined,
    apiKeyHeader: string | undefined,
  ): Promise<Principal | null> {
    let credential = apiKeyHeader?.trim();
    if (!credential && authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
      credential = match[1]!;
    }
    if (!credential) return null;
    if (credential.startsWith('ixk_')) return this.#authenticateApiKey(credential);
    const principal = this.#p.tokens.verifyAccessToken(credential);
    if (!principal) throw new UnauthorizedError('invalid or expired access token');
    if (principal.sessionId && (await this.#sessionRevoked(principal.sessionId))) {
      throw new UnauthorizedError('the session has been logged out');
    }
    return principal;
  }

  /**
   * Whether a session was logged out. The shared cache is asked at most once a second per session; this
   * process's own logouts take effect at once, other processes' within a second.
   */
  async #sessionRevoked(sessionId: string): Promise<boolean> {
    const known = this.#revocations.get(sessionId);
    if (known !== undefined) return known;
    const revoked = (await this.#p.cache.get(REVOKED_PREFIX + sessionId)) !== null;
    this.#revocations.set(sessionId, revoked, {
      ttl: revoked ? this.#p.config.accessTokenTtlSeconds * 1000 : 1000,
    });
    return revoked;
  }

  async #authenticateApiKey(key: string): Promise<Principal> {
    const match = API_KEY_PATTERN.exec(key);
    if (!match) throw new UnauthorizedError('malformed API key');
    const [, prefix, secret] = match as unknown as [string, string, string];
    const cached = await this.#apiKeys.load(prefix, async () => {
      const row = await this.#p.db
        .selectFrom('api_keys')
        .selectAll()
        .where('prefix', '=', prefix)
        .executeTakeFirst();
      if (!row || row.revoked_at || !isRole(row.role)) return undefined;
      void this.#p.db
        .updateTable('api_keys')
        .set({ last_used_at: new Date() })
        .where('id', '=', row.id)
        .execute()
        .catch(() => {});
      return {
        secretHash: row.secret_hash,
        expiresAt: row.expires_at?.getTime() ?? null,
        principal: { type: 'api_key', id: row.id, role: row.role, practiceId: row.practice_id },
      };
    });
    if (!cached || (cached.expiresAt !== null && cached.expiresAt <= Date.now())) {
      this.#p.metrics.authAttempts.inc({ method: 'api_key', outcome: 'failure' });
      throw new UnauthorizedError('invalid API key');
    }
    if (!secretMatches(secret, cached.secretHash)) {
      this.#p.metrics.authAttempts.inc({ method: 'api_key', outcome: 'failure' });
      throw new UnauthorizedError('invalid API key');
    }
    return cached.principal;
  }

  async createUser(
    input: {
      email: string;
      password: string;
      role: string;
      fullName: string;
      practiceId?: string | null;
      providerId?: string | null;
    },
    actor: AuditActor,
  ): Promise<UserView> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw invalidField('/email', 'must be an email address');
    if (!isRole(input.role)) throw invalidField('/role', `must be one of the roles`);
    const weak = passwordProblems(input.password);
    if (weak) throw invalidField('/password', weak);
    const existing = await this.#p.db
      .selectFrom('users')
      .select('id')
      .where(sql`lower(email)`, '=', email)
      .executeTakeFirst();
    if (existing) throw new ConflictError(`a user with email ${email} already exists`);
    const row = await this.#p.db
      .insertInto('users')
      .values({
        email,
        password_hash: await hashPassword(input.password),
        role: input.role,
        full_name: input.fullName,
        practice_id: input.practiceId ?? null,
        provider_id: input.providerId ?? null,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#audit({
      ...actor,
      action: 'user.create',
      outcome: 'success',
      resourceType: 'user',
      resourceId: row.id,
      details: { role: row.role },
    });
    return toUserView(row);
  }

  async listUsers(practiceId: string | null): Promise<UserView[]> {
    let query = this.#p.db.selectFrom('users').selectAll().orderBy('email');
    if (practiceId) query = query.where('practice_id', '=', practiceId);
    return (await query.execute()).map(toUserView);
  }

  async setUserActive(id: string, active: boolean, actor: AuditActor): Promise<UserView> {
    const row = await this.#p.db
      .updateTable('users')
      .set({
        active,
        updated_at: new Date(),
        ...(active ? { failed_login_count: 0, locked_until: null } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('user', id, '/id');
    if (!active) {
      const families = await this.#p.db
        .selectFrom('refresh_tokens')
        .select('family_id')
        .distinct()
        .where('user_id', '=', id)
        .execute();
      for (const f of families) await this.#revokeFamily(f.family_id);
    }
    await this.#audit({
      ...actor,
      action: active ? 'user.activate' : 'user.deactivate',
      outcome: 'success',
      resourceType: 'user',
      resourceId: id,
    });
    return toUserView(row);
  }

  async createApiKey(
    input: { name: string; role: string; practiceId: string | null; expiresAt?: string | null },
    actor: AuditActor,
  ): Promise<{
    id: string;
    name: string;
    role: Role;
    key: string;
    prefix: string;
    expiresAt: string | null;
  }> {
    if (!isRole(input.role)) throw invalidField('/role', 'must be one of the roles');
    const { key, prefix, secretHash } = newApiKey();
    const row = await this.#p.db
      .insertInto('api_keys')
      .values({
        name: input.name,
        role: input.role,
        prefix,
        secret_hash: secretHash,
        practice_id: input.practiceId,
        created_by: actor.actorType === 'user' ? (actor.actorId ?? null) : null,
        expires_at: input.expiresAt ?? null,
      })
      .returning(['id', 'expires_at'])
      .executeTakeFirstOrThrow();
    await this.#audit({
      ...actor,
      action: 'api_key.create',
      outcome: 'success',
      resourceType: 'api_key',
      resourceId: row.id,
      details: { role: input.role },
    });
    return {
      id: row.id,
      name: input.name,
      role: input.role,
      key,
      prefix,
      expiresAt: row.expires_at?.toISOString() ?? null,
    };
  }

  async revokeApiKey(id: string, actor: AuditActor): Promise<void> {
    const row = await this.#p.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['prefix'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('api key', id, '/id');
    this.#apiKeys.invalidate(row.prefix);
    await this.#audit({
      ...actor,
      action: 'api_key.revoke',
      outcome: 'success',
      resourceType: 'api_key',
      resourceId: id,
    });
  }
}

/** The who/where part of an audit event, built from a request (or the CLI). */
export type AuditActor = Pick<
  AuditEventInput,
  'actorType' | 'actorId' | 'actorRole' | 'practiceId' | 'ip' | 'userAgent' | 'requestId'
>;

function toUserView(row: {
  id: string;
  email: string;
  role: string;
  full_name: string;
  practice_id: string | null;
  provider_id: string | null;
  active: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}): UserView {
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    fullName: row.full_name,
    practiceId: row.practice_id,
    providerId: row.provider_id,
    active: row.active,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
