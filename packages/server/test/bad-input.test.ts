/**
 * Bad input never crashes a route: every /v1 route, called by a role it allows, is sent malformed path parameters,
 * querystrings and bodies (built from the route's schemas in /openapi.json) and answers a 4xx problem document,
 * a 400 naming the field, never a 5xx. Deterministic: the only "random" bytes come from a fixed-seed PRNG.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/platform/auth/roles.ts';
import { EXAMPLE_ID } from '../src/platform/http/schemas.ts';
import { startTestContext, type TestContext } from './harness.ts';
import { deref as derefIn, type Json } from './openapi.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Json;
  example?: unknown;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: {
    content?: Record<
      string,
      { schema?: Json; example?: unknown; examples?: Record<string, { value?: unknown }> }
    >;
  };
}

/** One malformed request. `reject`: it must be a 4xx; otherwise it must only not be a 5xx. */
interface Probe {
  what: string;
  url: string;
  payload?: string;
  contentType?: string;
  reject: boolean;
  /** For a 400 about a body field: an error path must start with this JSON pointer. */
  field?: string;
  /** For a 400 about a path or query parameter: an error path must name it (`/query/limit`, `/query/cursor`). */
  param?: string;
}

let t: TestContext;
let doc: { paths: Record<string, Record<string, Operation>> };
const authorization = new Map<string, string>();
/** Real rows to aim at, so that input the schema lets through reaches the service. */
const real = new Map<string, string>();

// Logging out would end the session the rest of the walk uses; it is exercised in auth.test.ts.
const SKIPPED = new Set(['POST /v1/auth/logout']);

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 2 });
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  for (const role of ROLES) if (role !== 'service') authorization.set(role, await t.bearer(role));
  const db = t.platform.db;
  const practiceId = t.seed!.practiceId;
  const patient = await db.selectFrom('patients').select('id').orderBy('id').executeTakeFirstOrThrow();
  const coverage = await db
    .selectFrom('coverages')
    .select('id')
    .where('patient_id', '=', patient.id)
    .executeTakeFirstOrThrow();
  const provider = await db.selectFrom('providers').select('id').orderBy('id').executeTakeFirstOrThrow();
  // Two diagnoses at least: the PATCH example's procedures point at diagnosis 2.
  const encounter = await db
    .selectFrom('encounters')
    .select('id')
    .where(sql<number>`jsonb_array_length(diagnoses)`, '>=', 2)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const appointment = await db
    .selectFrom('appointments')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const admin = { authorization: authorization.get('admin')! };
  // A user of its own for PATCH /v1/users/:id, so that no probe deactivates a user the walk logs in with.
  const spare = await t.app.inject({
    method: 'POST',
    url: '/v1/users',
    headers: admin,
    payload: {
      email: 'spare@demo.intelluxe.local',
      password: 'spare-user-password',
      role: 'biller',
      fullName: 'Sam Spare',
    },
  });
  expect(spare.statusCode, spare.body).toBe(201);
  const alert = await sql<{
    id: string;
  }>`INSERT INTO security_alerts (practice_id, rule_id, risk_level, title, subject,
      first_event_at, last_event_at, event_count, evidence)
    VALUES (${practiceId}::uuid, 'break_glass', 'high', 'Break-glass access', 'bad-input', now(), now(), 1, '[]')
    RETURNING id`.execute(db);
  real.set(EXAMPLE_ID.patient, patient.id);
  real.set(EXAMPLE_ID.coverage, coverage.id);
  real.set(EXAMPLE_ID.provider, provider.id);
  real.set(EXAMPLE_ID.encounter, encounter.id);
  real.set(EXAMPLE_ID.appointment, appointment.id);
  real.set(EXAMPLE_ID.user, spare.json().id);
  real.set(EXAMPLE_ID.practice, practiceId);
  real.set(EXAMPLE_ID.alert, alert.rows[0]!.id);
  const model = await t.app.inject({
    method: 'POST',
    url: '/v1/mlops/models',
    headers: admin,
    payload: exampleBody(operation('POST', '/v1/mlops/models')) as Json,
  });
  expect(model.statusCode, model.body).toBe(201);
  real.set(EXAMPLE_ID.model, model.json().id);
});
afterAll(() => t.close());

/** mulberry32: the same "random" bytes on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20_260_314);
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const ABSENT_ID = '00000000-0000-4000-8000-000000000000';
const LONG_PARAM = 'x'.repeat(300);
const LONG_TEXT = 'Lorem ipsum '.repeat(1000);
const INJECTION = "'; DROP TABLE patients; --";

/** Cursors no endpoint makes: each is a 400 naming the cursor. */
const GARBAGE_CURSORS: Array<[string, string]> = [
  ['random base64url (6 bytes)', randomBytes(6).toString('base64url')],
  ['random base64url (24 bytes)', randomBytes(24).toString('base64url')],
  ['random base64url (90 bytes)', randomBytes(90).toString('base64url')],
  ['not base64url', '!!!***'],
  ['an injection', encodeURIComponent(INJECTION)],
  ['a NUL', '%00'],
  ['too long', 'A'.repeat(300)],
  ['a 25-digit number', '9'.repeat(25)],
  ['[]', b64([])],
  ['[null]', b64([null])],
  ['[true]', b64([true])],
  ['[{}]', b64([{}])],
  ['[[["deep"]]]', b64([[['deep']]])],
  ['["a NUL"]', b64(['MRN\u00001'])],
  ['[null, null]', b64([null, null])],
  ['[true, false]', b64([true, false])],
  ['[1, 2]', b64([1, 2])],
  ['[{}, []]', b64([{}, []])],
  ['[date, "not-an-id"]', b64(['2026-03-14T15:30:00.000Z', 'not-an-id'])],
  ['[bad date, uuid]', b64(['2026-13-45T25:61:00Z', ABSENT_ID])],
  ['[uuid, date] (swapped)', b64([ABSENT_ID, '2026-03-14T15:30:00.000Z'])],
  ['[date with a NUL, uuid]', b64(['2026-03-14T15:30:00.000Z\u0000', ABSENT_ID])],
  ['[a, b, c, d]', b64(['a', 'b', 'c', 'd'])],
  ['a number', b64(42)],
  ['a string', b64('abc')],
  ['null', b64(null)],
  ['an object', b64({ at: '2026-03-14T15:30:00.000Z', id: ABSENT_ID })],
  ['a nested object', b64({ a: { b: { c: [1, { d: null }] } } })],
];
/** One scalar: not a sequence number, but the shape of an MRN or claim number cursor (a position, not an error). */
const SCALAR_CURSORS: Array<[string, string]> = [
  ['["abc"]', b64(['abc'])],
  ['[-1]', b64([-1])],
  ['[1.5]', b64([1.5])],
  ['[1e300]', b64([1e300])],
  ['["a long key"]', b64(['k'.repeat(140)])],
];

const deref = (schema: Json | undefined) => derefIn(doc, schema);

/** The alternatives of a union, or the schema itself. */
function alternatives(schema: Json | undefined): Json[] {
  const s = deref(schema);
  if (!s) return [];
  const union = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  return union ? union.flatMap((a) => alternatives(a)) : [s];
}

/** The JSON types a schema accepts ('any' when it says nothing). */
function acceptedTypes(schema: Json | undefined): Set<string> {
  const types = new Set<string>();
  for (const s of alternatives(schema)) {
    if (s.type === undefined && s.const === undefined && s.enum === undefined) types.add('any');
    for (const type of [s.type].flat()) if (typeof type === 'string') types.add(type);
    if (s.const !== undefined) types.add(s.const === null ? 'null' : typeof s.const);
  }
  if (types.has('integer')) types.add('number');
  return types;
}

function isEnum(schema: Json | undefined): boolean {
  const alts = alternatives(schema);
  return (
    alts.length > 0 && alts.every((s) => s.enum !== undefined || s.const !== undefined || s.type === 'null')
  );
}

function formatOf(schema: Json | undefined): string | undefined {
  return alternatives(schema).find((s) => typeof s.format === 'string')?.format as string | undefined;
}

/** A value of each JSON type, to send where the schema wants another. */
const OF_TYPE: Record<string, unknown> = {
  string: 'not-the-right-type',
  number: 12345,
  boolean: true,
  object: { unexpected: 'object' },
  array: ['unexpected', 'array'],
  null: null,
};

/** Replaces the example ids in a value with those of real rows. */
function aimed<T>(value: T): T {
  let text = JSON.stringify(value);
  for (const [example, id] of real) text = text.replaceAll(example, id);
  return JSON.parse(text) as T;
}

/** A valid value for a path parameter, pointing at a real row where the walk has one. */
function validParam(url: string, name: string): string {
  if (name === 'payerId') return 'anthem';
  if (name === 'code') return '99213';
  if (name === 'key') return 'eligibility.recheck_days';
  if (name === 'ruleId') return 'hourly_access_rate';
  const example = {
    users: EXAMPLE_ID.user,
    patients: EXAMPLE_ID.patient,
    coverages: EXAMPLE_ID.coverage,
    providers: EXAMPLE_ID.provider,
    doctors: EXAMPLE_ID.provider,
    encounters: EXAMPLE_ID.encounter,
    appointments: EXAMPLE_ID.appointment,
    alerts: EXAMPLE_ID.alert,
    models: EXAMPLE_ID.model,
  }[url.match(/(\w+)\/:id/)?.[1] ?? ''];
  return (example && real.get(example)) ?? ABSENT_ID;
}

/** A valid value for a required query parameter. */
function validQuery(parameter: Parameter): string {
  const example = parameter.example ?? (deref(parameter.schema)?.examples as unknown[] | undefined)?.[0];
  if (example !== undefined) return String(aimed(example));
  const format = formatOf(parameter.schema);
  if (format === 'date') return '2026-03-14';
  if (format === 'date-time') return '2026-03-14T15:30:00.000Z';
  if (format === 'uuid') return ABSENT_ID;
  return 'x';
}

function fillPath(route: string, values: Record<string, string>): string {
  return route.replace(/:(\w+)/g, (_, name: string) => values[name] ?? validParam(route, name));
}

function pathProbes(route: string, params: Parameter[], body: string | undefined): Probe[] {
  const probes: Probe[] = [];
  for (const p of params) {
    // A uuid that is not one is refused; other parameters (payer ids, setting keys) may name nothing, a 404.
    const reject = formatOf(p.schema) === 'uuid';
    for (const [label, value] of [
      ['not-an-id', 'not-an-id'],
      ['an injection', encodeURIComponent(INJECTION)],
      ['300 characters', LONG_PARAM],
      ['a NUL', '%00'],
      ['a NUL inside', 'ab%00cd'],
    ]) {
      probes.push({
        what: `path ${p.name} = ${label}`,
        url: fillPath(route, { [p.name]: value! }),
        payload: body,
        reject,
        param: p.name,
      });
    }
    // Not percent-decodable: the router refuses it before any parameter is known.
    const url = fillPath(route, { [p.name]: '%E0%A4%A' });
    probes.push({
      what: `path ${p.name} = a broken escape`,
      url,
      payload: body,
      reject: true,
      field: '/params',
    });
  }
  return probes;
}

function queryProbes(url: string, params: Parameter[]): Probe[] {
  const probes: Probe[] = [];
  const base = params.filter((p) => p.required).map((p) => [p.name, validQuery(p)] as const);
  const withParam = (name: string, raw: string) =>
    `${url}?${[...base.filter(([n]) => n !== name).map(([n, v]) => `${n}=${encodeURIComponent(v)}`), `${name}=${raw}`].join('&')}`;
  for (const p of params) {
    const schema = deref(p.schema);
    const types = acceptedTypes(schema);
    const format = formatOf(schema);
    const bad: Array<[string, string]> = [];
    const odd: Array<[string, string]> = [];
    if (p.name === 'cursor') {
      bad.push(...GARBAGE_CURSORS);
      odd.push(...SCALAR_CURSORS);
    } else if (types.has('integer') || types.has('number')) {
      bad.push(['0', '0'], ['-1', '-1'], ['1e9', '1e9'], ['abc', 'abc'], ['1.5', '1.5'], ['empty', '']);
      if (p.name !== 'limit') bad.splice(0, 1);
    } else if (types.has('boolean')) bad.push(['maybe', 'maybe'], ['2', '2']);
    else if (isEnum(schema))
      bad.push(['an unknown value', 'not-a-value'], ['an injection', encodeURIComponent(INJECTION)]);
    else if (format === 'uuid')
      bad.push(['not-an-id', 'not-an-id'], ['an injection', encodeURIComponent(INJECTION)], ['a NUL', '%00']);
    else if (format === 'date' || format === 'date-time' || /^(from|to|date|dateOfBirth)$/.test(p.name)) {
      bad.push(
        ['2026-13-45', '2026-13-45'],
        ['2026-02-30', '2026-02-30'],
        ['2026-13-45T25:61:00Z', '2026-13-45T25:61:00Z'],
        ['yesterday', 'yesterday'],
        ['a NUL', '2026-01-01%00'],
      );
    } else {
      odd.push(
        ['an injection', encodeURIComponent(INJECTION)],
        ['300 characters', LONG_PARAM],
        ['a NUL', '%00'],
        ['a NUL inside', 'ab%00cd'],
        ['a lone percent', '%'],
        ['a lone surrogate', '%ED%A0%80'],
      );
    }
    for (const [cases, reject] of [
      [bad, true],
      [odd, false],
    ] as const) {
      for (const [label, raw] of cases)
        probes.push({
          what: `query ${p.name} = ${label}`,
          url: withParam(p.name, raw),
          reject,
          param: p.name,
        });
    }
  }
  return probes;
}

/** The property schemas of an object schema (over its union alternatives). */
function propertiesOf(schema: Json | undefined): Record<string, Json> {
  const props: Record<string, Json> = {};
  for (const s of alternatives(schema))
    Object.assign(props, (s.properties as Record<string, Json> | undefined) ?? {});
  return props;
}

/** Sets `value` at a JSON pointer inside a copy of `body`. */
function withValue(body: unknown, pointer: string[], value: unknown): unknown {
  if (pointer.length === 0) return value;
  const [head, ...rest] = pointer as [string, ...string[]];
  if (Array.isArray(body)) {
    const copy = [...body];
    copy[Number(head)] = withValue(copy[Number(head)], rest, value);
    return copy;
  }
  const object = (body ?? {}) as Json;
  return { ...object, [head]: withValue(object[head], rest, value) };
}

/** Mutations of one field of a valid body: a wrong type each, very long and NUL-carrying text, huge numbers. */
function fieldProbes(url: string, example: unknown, schema: Json, pointer: string[]): Probe[] {
  const probes: Probe[] = [];
  const field = `/${pointer.join('/')}`;
  const types = acceptedTypes(schema);
  const send = (what: string, value: unknown, reject: boolean) =>
    probes.push({
      what: `body ${field} = ${what}`,
      url,
      payload: JSON.stringify(withValue(example, pointer, value)),
      reject,
      field,
    });
  if (!types.has('any')) {
    for (const [type, value] of Object.entries(OF_TYPE)) {
      if (!types.has(type)) send(`a ${type}`, value, true);
    }
    if (types.has('integer') && !types.has('number')) send('1.5', 1.5, true);
  }
  if (types.has('string') || types.has('any')) {
    send('12,000 characters', LONG_TEXT, false);
    send('a NUL', 'ab\u0000cd', false);
    send('a lone surrogate', '\ud800', false);
    if (isEnum(schema)) send('an unknown value', 'not-a-value', true);
    const format = formatOf(schema);
    if (format === 'date') send('2026-13-45', '2026-13-45', true);
    if (format === 'date-time') send('2026-13-45T25:61:00Z', '2026-13-45T25:61:00Z', true);
    if (format === 'uuid') send('not-an-id', 'not-an-id', true);
    if (!format && /date|Date|At$|^(from|to)$/.test(pointer.at(-1) ?? ''))
      send('2026-13-45', '2026-13-45', false);
  }
  if (types.has('number') || types.has('integer') || types.has('any')) {
    send('2^53', 2 ** 53, false);
    send('-2^53', -(2 ** 53), false);
    send('1e300', 1e300, false);
  }
  if (types.has('object') || types.has('any')) send('an object with a NUL key', { 'a\u0000b': 1 }, false);
  // Further in, where the example has something to break: an object's properties, an array's first item.
  const current = pointerValue(example, pointer);
  if (pointer.length < 4 && current !== null && typeof current === 'object') {
    for (const s of alternatives(schema)) {
      if (s.type === 'object' && !Array.isArray(current)) {
        for (const [name, sub] of Object.entries(propertiesOf(s)))
          probes.push(...fieldProbes(url, example, sub, [...pointer, name]));
      } else if (s.type === 'array' && s.items && Array.isArray(current) && current.length > 0) {
        probes.push(...fieldProbes(url, example, s.items as Json, [...pointer, '0']));
      }
    }
  }
  return probes;
}

function pointerValue(body: unknown, pointer: string[]): unknown {
  return pointer.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], body);
}

/** The route's richest request body example (the most fields to break), aimed at real rows. */
function exampleBody(op: Operation | undefined): unknown {
  const media = op?.requestBody?.content?.['application/json'];
  const examples = [
    ...(media?.example === undefined ? [] : [media.example]),
    ...((deref(media?.schema)?.examples as unknown[] | undefined) ?? []),
    ...Object.values(media?.examples ?? {}).map((e) => e.value),
  ];
  const richest = examples.reduce<unknown>(
    (a, b) => (JSON.stringify(b).length > JSON.stringify(a ?? '').length ? b : a),
    undefined,
  );
  return aimed(richest ?? {});
}

function bodyProbes(url: string, op: Operation | undefined): Probe[] {
  const schema = deref(op?.requestBody?.content?.['application/json']?.schema);
  const isArray = schema?.type === 'array';
  const required = (schema?.required as string[] | undefined) ?? [];
  const probes: Probe[] = [
    { what: 'body not JSON', url, payload: '{"unterminated": ', reject: true, field: '/' },
    { what: 'body plain text', url, payload: 'not json at all', reject: true, field: '/' },
    { what: 'body null', url, payload: 'null', reject: Boolean(schema), field: '/' },
    { what: 'body a string', url, payload: '"text"', reject: Boolean(schema), field: '/' },
    { what: 'body a number', url, payload: '42', reject: Boolean(schema), field: '/' },
    { what: 'body true', url, payload: 'true', reject: Boolean(schema), field: '/' },
    isArray
      ? { what: 'body an object', url, payload: '{}', reject: true, field: '/' }
      : { what: 'body {}', url, payload: '{}', reject: required.length > 0, field: '/' },
    { what: 'body []', url, payload: '[]', reject: Boolean(schema) && !isArray, field: '/' },
    { what: 'body [{}]', url, payload: '[{}]', reject: Boolean(schema) && !isArray, field: '/' },
    {
      what: 'body text/plain',
      url,
      payload: 'ISA*00*garbage~',
      contentType: 'text/plain',
      reject: Boolean(schema),
    },
    {
      what: 'body octet-stream',
      url,
      payload: randomBytes(64).toString('latin1'),
      contentType: 'application/octet-stream',
      reject: Boolean(schema),
    },
  ];
  if (!schema) return probes;
  // Top-level properties the example lacks are added one at a time.
  const example = exampleBody(op);
  for (const [name, sub] of Object.entries(propertiesOf(schema)))
    probes.push(...fieldProbes(url, example, sub, [name]));
  return probes;
}

async function run(method: Method, route: string, probe: Probe, problems: string[], index: number) {
  const auth = t.routes.find((r) => r.method === method && r.url === route)!.auth!;
  const role = auth === 'public' ? undefined : (auth.find((r) => authorization.has(r)) as string);
  const headers: Record<string, string> = {};
  if (role) headers.authorization = authorization.get(role)!;
  if (probe.payload !== undefined) headers['content-type'] = probe.contentType ?? 'application/json';
  // A client of its own per probe, so that the login rate limit never answers for the validation.
  const remoteAddress = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const res = await t.app.inject({ method, url: probe.url, payload: probe.payload, headers, remoteAddress });
  const label = `${method} ${route} ${probe.what} → ${res.statusCode}`;
  if (res.statusCode >= 500) {
    problems.push(`${label} ${res.body.slice(0, 160)}`);
    return;
  }
  if (res.statusCode < 400) {
    if (probe.reject) problems.push(`${label}: accepted`);
    return;
  }
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    problems.push(`${label}: ${res.headers['content-type']}`);
    return;
  }
  const body = res.json() as { status?: number; errors?: Array<{ path?: unknown; message?: unknown }> };
  if (body.status !== res.statusCode) problems.push(`${label}: problem status ${body.status}`);
  if (res.statusCode !== 400) return;
  const paths = (body.errors ?? []).map((e) => e.path);
  if (paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    problems.push(`${label}: a 400 without field paths: ${res.body.slice(0, 160)}`);
    return;
  }
  // Only a probe refused by its shape is sure to be refused for the field it broke.
  if (!probe.reject) return;
  const named = paths as string[];
  if (probe.field && !named.some((p) => p.startsWith(probe.field!)))
    problems.push(`${label}: names ${named.join(', ')}, not ${probe.field}`);
  if (probe.param && !named.some((p) => p.split('/').includes(probe.param!)))
    problems.push(`${label}: names ${named.join(', ')}, not ${probe.param}`);
}

function v1Routes() {
  return t.routes.filter((r) => r.url.startsWith('/v1/') && !SKIPPED.has(`${r.method} ${r.url}`));
}

function operation(method: string, route: string): Operation | undefined {
  return doc.paths[route.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
}

async function walk(build: (method: Method, route: string, op: Operation | undefined) => Probe[]) {
  const problems: string[] = [];
  let probes = 0;
  for (const r of v1Routes()) {
    const method = r.method as Method;
    for (const probe of build(method, r.url, operation(method, r.url))) {
      await run(method, r.url, probe, problems, probes);
      probes += 1;
    }
  }
  return { problems, probes };
}

describe('bad input gets a 4xx problem document, never a 5xx', () => {
  it('covers every /v1 route', () => {
    const routes = v1Routes();
    expect(routes.length).toBeGreaterThan(100);
    for (const r of routes) expect(operation(r.method, r.url), `${r.method} ${r.url}`).toBeDefined();
  });

  it('refuses malformed path parameters', async () => {
    const { problems, probes } = await walk((_method, route, op) =>
      pathProbes(
        route,
        (op?.parameters ?? []).filter((p) => p.in === 'path'),
        op?.requestBody ? JSON.stringify(exampleBody(op)) : undefined,
      ),
    );
    expect(probes).toBeGreaterThan(300);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });

  it('refuses malformed querystrings', async () => {
    const { problems, probes } = await walk((_method, route, op) =>
      queryProbes(
        fillPath(route, {}),
        (op?.parameters ?? []).filter((p) => p.in === 'query'),
      ),
    );
    expect(probes).toBeGreaterThan(300);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });

  it('refuses malformed bodies', async () => {
    const { problems, probes } = await walk((method, route, op) =>
      ['POST', 'PUT', 'PATCH'].includes(method) ? bodyProbes(fillPath(route, {}), op) : [],
    );
    expect(probes).toBeGreaterThan(1000);
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});
