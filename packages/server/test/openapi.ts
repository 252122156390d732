/** Reading the app's /openapi.json in tests. */

export type Json = Record<string, unknown>;

/** Follows a `#/components/...` reference of `doc` (only local ones are emitted). */
export function deref(doc: unknown, schema: Json | undefined): Json | undefined {
  let current = schema;
  for (let hops = 0; typeof current?.$ref === 'string' && hops < 10; hops++) {
    const pointer = (current.$ref as string).replace(/^#\//, '').split('/');
    current = pointer.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc) as
      | Json
      | undefined;
  }
  return current;
}
