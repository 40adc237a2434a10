// Which fields are sensitive: their rejected values never reach a response or the error's issues.
// One rule with @plinth/config and @plinth/observability (SEAMS §F), plus names the route lists.

// SEAMS §F: a key is secret when its name, lower-cased with `-`, `_` and `.` removed, contains one of
// `secret`, `private`, `credential`, `password`, `passwd`, `token`, `key`.
const secretWords = ['secret', 'private', 'credential', 'password', 'passwd', 'token', 'key'];

/** Whether a field name is secret by the shared redaction rule. */
export function isSecretName(name: string): boolean {
  const folded = name.toLowerCase().replace(/[-_.]/g, '');
  return secretWords.some((word) => folded.includes(word));
}

/** Decides, by field name, whether a field's value may be echoed. */
export type SensitiveTest = (name: string) => boolean;

/** The test for a route: the shared rule plus the names the route lists (compared as written). */
export function sensitiveTest(extra: readonly string[] = []): SensitiveTest {
  if (extra.length === 0) return isSecretName;
  const names = new Set(extra);
  return (name) => names.has(name) || isSecretName(name);
}

type JsonSchemaNode = { readonly [key: string]: unknown };

function isNode(value: unknown): value is JsonSchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Names of the properties a JSON Schema marks sensitive, at any depth: `writeOnly: true` (OpenAPI's
 * "never sent back") or `sensitive: true` (zod: `.meta({ sensitive: true })`).
 */
export function markedSensitiveNames(schema: unknown, names = new Set<string>(), depth = 0): Set<string> {
  if (!isNode(schema) || depth > 32) return names;
  if (isNode(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (isNode(property) && (property.writeOnly === true || property.sensitive === true)) names.add(name);
      markedSensitiveNames(property, names, depth + 1);
    }
  }
  for (const key of ['items', 'additionalProperties']) markedSensitiveNames(schema[key], names, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const item of list) markedSensitiveNames(item, names, depth + 1);
  }
  if (isNode(schema.$defs))
    for (const item of Object.values(schema.$defs)) markedSensitiveNames(item, names, depth + 1);
  return names;
}
