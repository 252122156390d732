/**
 * Request validation with two Ajv instances: bodies are validated as sent (a number is never silently turned
 * into a string), while querystrings, params and headers, which arrive as text, are coerced to their types.
 * Text PostgreSQL cannot store (a NUL character, or an unpaired surrogate in JSON) is refused here, naming the
 * field, whatever the route's schema says: it would otherwise fail in the database as a 500.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    useDefaults: true,
    allErrors: true,
    removeAdditional: false,
    strict: false,
    ...options,
  });
  addFormats(ajv);
  return ajv;
}

function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (!text.isWellFormed()) return 'must be valid Unicode text (it has an unpaired surrogate)';
  return null;
}

/** The strings (object keys included) of a validated value that PostgreSQL would refuse, as Ajv errors. */
function unstorableText(value: unknown, path: string, errors: ErrorObject[]): void {
  const refuse = (instancePath: string, message: string) =>
    errors.push({ instancePath, schemaPath: '#', keyword: 'storable', params: {}, message });
  if (typeof value === 'string') {
    const message = unstorable(value);
    if (message) refuse(path, message);
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) unstorableText(item, `${path}/${i}`, errors);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const message = unstorable(key);
      if (message) refuse(at, `key ${message}`);
      unstorableText(item, at, errors);
    }
  }
}

/** The schema's validation, then the storable-text check of what passed it. */
function storable(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, context)) {
      check.errors = validate.errors;
      return false;
    }
    const errors: ErrorObject[] = [];
    unstorableText(data, '', errors);
    check.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  }) as ValidateFunction;
  // Fastify hands Ajv functions (those with a schemaEnv) the request as parent, so coercion can replace the root.
  return Object.assign(check, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const body = createAjv({ coerceTypes: false });
  const text = createAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => storable((httpPart === 'body' ? body : text).compile(schema as object));
}
