/**
 * Access tokens (short-lived HS256 JWTs), refresh tokens (opaque, stored hashed, rotated on use) and API keys
 * (`ixk_<prefix>_<secret>`, stored hashed). The signing key is derived from the master key, so no extra secret
 * has to be configured and rotating the master key logs everyone out.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import { isRole, type Principal } from './roles.ts';

export interface AccessClaims {
  sub: string;
  role: string;
  pid: string | null;
  sid: string;
  email: string;
}

export class TokenService {
  readonly #sign: (payload: AccessClaims) => string;
  readonly #verify: (token: string) => AccessClaims & { exp: number };
  readonly ttlSeconds: number;

  constructor(masterKey: Buffer, ttlSeconds: number) {
    const key = createHmac('sha256', masterKey).update('intelluxe-jwt-hs256').digest();
    this.ttlSeconds = ttlSeconds;
    this.#sign = createSigner({ key, algorithm: 'HS256', expiresIn: ttlSeconds * 1000, iss: 'intelluxe' });
    this.#verify = createVerifier({ key, algorithms: ['HS256'], allowedIss: 'intelluxe', cache: 10_000 });
  }

  issueAccessToken(claims: AccessClaims): string {
    return this.#sign(claims);
  }

  /** Returns the principal, or null for a token that is malformed, forged or expired. */
  verifyAccessToken(token: string): (Principal & { expiresAt: number }) | null {
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.#verify(token);
    } catch {
      return null;
    }
    if (!isRole(claims.role)) return null;
    return {
      type: 'user',
      id: claims.sub,
      role: claims.role,
      practiceId: claims.pid,
      sessionId: claims.sid,
      email: claims.email,
      expiresAt: claims.exp,
    };
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newRefreshToken(): string {
  return `ixr_${randomBytes(32).toString('base64url')}`;
}

export const API_KEY_PATTERN = /^ixk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { key: `ixk_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(sha256(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
