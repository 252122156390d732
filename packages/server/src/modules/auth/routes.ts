/** Login, refresh, logout, the current user, users and API keys. */
import { Type } from 'typebox';
import { ROLES, type Role } from '../../platform/auth/roles.ts';
import { auditActor, requestMeta } from '../../platform/http/context.ts';
import {
  EXAMPLE_ID,
  IdParams,
  IsoDateTime,
  ListOf,
  Problem,
  problemResponses,
  Uuid,
} from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { AuthService } from './service.ts';

const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });

const REFRESH_TOKEN_EXAMPLE = 'ixr_q3X9vB2mT7kLp0Zr5YwN8cHd4GfJ1sUe6AaVbRtOiMk';
const TokenPair = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
    user: Type.Object({
      id: Uuid,
      email: Type.String(),
      role: RoleSchema,
      fullName: Type.String(),
      practiceId: Type.Union([Uuid, Type.Null()]),
    }),
  },
  {
    examples: [
      {
        accessToken:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YTFjM2U1Zi0yYjRkLTRjNmUtOGYwYS0xYjNkNWY3YTljMmUiLCJyb2xlIjoiZnJvbnRfZGVzayIsImV4cCI6MTc3MzUwMjIwMH0.Qm9vZ2xlLXNpZ25hdHVyZS1leGFtcGxlLW9ubHk',
        refreshToken: REFRESH_TOKEN_EXAMPLE,
        tokenType: 'Bearer',
        expiresIn: 900,
        user: {
          id: EXAMPLE_ID.user,
          email: 'frontdesk@demo.intelluxe.local',
          role: 'front_desk',
          fullName: 'Tanya Brooks',
          practiceId: EXAMPLE_ID.practice,
        },
      },
    ],
  },
);

const User = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    role: RoleSchema,
    fullName: Type.String(),
    practiceId: Type.Union([Uuid, Type.Null()]),
    providerId: Type.Union([Uuid, Type.Null()]),
    active: Type.Boolean(),
    lockedUntil: Type.Union([IsoDateTime, Type.Null()]),
    lastLoginAt: Type.Union([IsoDateTime, Type.Null()]),
    createdAt: IsoDateTime,
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.user,
        email: 'physician@demo.intelluxe.local',
        role: 'physician',
        fullName: 'Dr. Alicia Chen',
        practiceId: EXAMPLE_ID.practice,
        providerId: EXAMPLE_ID.provider,
        active: true,
        lockedUntil: null,
        lastLoginAt: '2026-03-14T13:02:11.000Z',
        createdAt: '2026-01-05T09:00:00.000Z',
      },
    ],
  },
);

const authLimit = { max: 30, timeWindow: '1 minute' };

export function authRoutes(app: App, auth: AuthService): void {
  app.post(
    '/v1/auth/login',
    {
      config: { auth: 'public', rateLimit: authLimit },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        body: Type.Object(
          {
            email: Type.String({
              minLength: 3,
              maxLength: 200,
              examples: ['frontdesk@demo.intelluxe.local'],
            }),
            password: Type.String({ minLength: 1, maxLength: 256, examples: ['intelluxe-demo'] }),
          },
          {
            additionalProperties: false,
            examples: [{ email: 'frontdesk@demo.intelluxe.local', password: 'intelluxe-demo' }],
          },
        ),
        response: { 200: TokenPair, 400: Problem, 401: Problem, 423: Problem, 429: Problem },
      },
    },
    (request) => auth.login(request.body.email, request.body.password, requestMeta(request)),
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { auth: 'public', rateLimit: authLimit },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the old refresh token is spent)',
        body: Type.Object(
          { refreshToken: Type.String({ minLength: 10, maxLength: 200 }) },
          { additionalProperties: false, examples: [{ refreshToken: REFRESH_TOKEN_EXAMPLE }] },
        ),
        response: { 200: TokenPair, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    (request) => auth.refresh(request.body.refreshToken, requestMeta(request)),
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { auth: ROLES },
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        security: [{ bearerAuth: [] }],
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await auth.logout(request.principal!, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/auth/me',
    {
      config: { auth: ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        security: [{ bearerAuth: [] }, { apiKey: [] }],
        response: {
          200: Type.Object(
            {
              type: Type.String(),
              id: Type.String(),
              role: RoleSchema,
              practiceId: Type.Union([Type.String(), Type.Null()]),
              email: Type.Optional(Type.String()),
            },
            {
              examples: [
                {
                  type: 'user',
                  id: EXAMPLE_ID.user,
                  role: 'biller',
                  practiceId: EXAMPLE_ID.practice,
                  email: 'biller@demo.intelluxe.local',
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => {
      const { type, id, role, practiceId, email } = request.principal!;
      return { type, id, role, practiceId, email };
    },
  );

  app.get(
    '/v1/users',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['users'],
        summary: "The practice's users",
        security: [{ bearerAuth: [] }],
        response: { 200: ListOf(User), ...problemResponses },
      },
    },
    (request) => auth.listUsers(request.principal!.practiceId),
  );

  app.post(
    '/v1/users',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 200 }),
            password: Type.String({ minLength: 12, maxLength: 256 }),
            role: RoleSchema,
            fullName: Type.String({ minLength: 1, maxLength: 200 }),
            providerId: Type.Optional(Uuid),
          },
          {
            additionalProperties: false,
            examples: [
              {
                email: 'physician@demo.intelluxe.local',
                password: 'correct-horse-battery-staple',
                role: 'physician',
                fullName: 'Dr. Alicia Chen',
                providerId: EXAMPLE_ID.provider,
              },
            ],
          },
        ),
        response: { 201: User, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await auth.createUser(
            { ...request.body, practiceId: request.principal!.practiceId },
            auditActor(request),
          ),
        ),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Activate or deactivate a user (deactivation ends their sessions)',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: Type.Object(
          { active: Type.Boolean() },
          { additionalProperties: false, examples: [{ active: false }] },
        ),
        response: { 200: User, ...problemResponses },
      },
    },
    (request) => auth.setUserActive(request.params.id, request.body.active, auditActor(request)),
  );

  app.post(
    '/v1/api-keys',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Create an API key for a service (the key is shown once)',
        security: [{ bearerAuth: [] }],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            role: Type.Optional(RoleSchema),
            expiresAt: Type.Optional(IsoDateTime),
          },
          {
            additionalProperties: false,
            examples: [
              { name: 'clearinghouse-sync', role: 'service', expiresAt: '2027-03-31T00:00:00.000Z' },
            ],
          },
        ),
        response: {
          201: Type.Object(
            {
              id: Uuid,
              name: Type.String(),
              role: RoleSchema,
              key: Type.String(),
              prefix: Type.String(),
              expiresAt: Type.Union([IsoDateTime, Type.Null()]),
            },
            {
              examples: [
                {
                  id: EXAMPLE_ID.apiKey,
                  name: 'clearinghouse-sync',
                  role: 'service',
                  key: 'ixk_Hq7mK2pXw9Ld_Zr4Tn8Vb1Yc6Fg3Js0Ue5Aa7Wk2Mp9Qx4',
                  prefix: 'Hq7mK2pXw9Ld',
                  expiresAt: '2027-03-31T00:00:00.000Z',
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await auth.createApiKey(
          {
            name: request.body.name,
            role: request.body.role ?? 'service',
            practiceId: request.principal!.practiceId,
            expiresAt: request.body.expiresAt,
          },
          auditActor(request),
        ),
      ),
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { auth: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Revoke an API key',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await auth.revokeApiKey(request.params.id, auditActor(request));
      return reply.code(204).send(null);
    },
  );
}
