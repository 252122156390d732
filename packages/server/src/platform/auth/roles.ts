/** The roles a user or API key can hold; every /v1 route declares which of them it allows. */
export const ROLES = [
  'admin',
  'physician',
  'biller',
  'front_desk',
  'compliance_officer',
  'practice_manager',
  'service',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who made a request, after authentication. */
export interface Principal {
  type: 'user' | 'api_key';
  id: string;
  role: Role;
  practiceId: string | null;
  /** Session (refresh-token family) of a user's access token; logout revokes it. */
  sessionId?: string;
  email?: string;
}

/** A route's access rule: `public`, or the roles allowed. */
export type RouteAuth = 'public' | readonly Role[];

/** Common role groups, so routes read as intent. */
export const ANY_ROLE: readonly Role[] = ROLES;
export const STAFF: readonly Role[] = ['admin', 'physician', 'biller', 'front_desk', 'practice_manager'];
export const PHI_READERS: readonly Role[] = ['admin', 'physician', 'biller', 'front_desk', 'service'];
