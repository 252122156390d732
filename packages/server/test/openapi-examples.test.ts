/**
 * Every /v1 operation in /openapi.json documents itself by example: a request body and the success response each
 * carry an example (binary downloads excepted), and every example validates against the schema it sits beside.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';
import { deref as derefIn, type Json } from './openapi.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Media {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Operation {
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

let t: TestContext;
let doc: { paths: Record<string, Record<string, Operation>>; components?: Json };
const deref = (schema: Json | undefined) => derefIn(doc, schema);
beforeAll(async () => {
  t = await startTestContext();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.close());

/** The examples of a media type: its own `example`/`examples`, else those of its (dereferenced) schema. */
function examplesOf(media: Media): unknown[] {
  if (media.example !== undefined) return [media.example];
  if (media.examples) return Object.values(media.examples).map((e) => e.value);
  const schema = deref(media.schema);
  if (schema?.example !== undefined) return [schema.example];
  if (Array.isArray(schema?.examples)) return schema.examples;
  return [];
}

function isBinary(media: Media): boolean {
  const schema = deref(media.schema);
  return schema?.type === 'string' && schema.format === 'binary';
}

function successCode(op: Operation): string | undefined {
  return Object.keys(op.responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort()[0];
}

describe('OpenAPI examples', () => {
  it('gives every /v1 request body and success response an example that validates against its schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('binary', true);
    const check = (label: string, media: Media, problems: string[]) => {
      const examples = examplesOf(media);
      if (examples.length === 0) {
        problems.push(`${label}: no example`);
        return;
      }
      // The schema is compiled inside a copy carrying the document's components, so `#/components/...` resolves.
      const validate = ajv.compile({ ...media.schema, components: doc.components });
      for (const [i, example] of examples.entries()) {
        if (!validate(example)) {
          problems.push(`${label} example ${i + 1}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
        }
      }
    };

    const problems: string[] = [];
    const v1 = t.routes.filter((r) => r.url.startsWith('/v1/') && r.method !== 'HEAD');
    expect(v1.length).toBeGreaterThan(25);
    for (const route of v1) {
      const name = `${route.method} ${route.url}`;
      const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!op) {
        problems.push(`${name}: missing from /openapi.json`);
        continue;
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (!isBinary(media)) check(`${name} request body (${type})`, media, problems);
      }
      const code = successCode(op);
      if (!code) {
        problems.push(`${name}: no 2xx response`);
        continue;
      }
      const content = op.responses[code]?.content;
      if (!content) continue; // no body (204)
      for (const [type, media] of Object.entries(content)) {
        if (!isBinary(media)) check(`${name} response ${code} (${type})`, media, problems);
      }
    }
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});
