// Marking a variable as a secret: its value is never printed and is redacted when serialized.

import { markSchema } from './schema-marks.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * Marks a schema as a secret and returns the same schema, so it composes inside `z.object({...})`.
 * The program reads the real value; `JSON.stringify`, pino, `console.log` and error messages show
 * `[redacted]` or nothing. Like zod's `.describe()`, wrap the finished schema
 * (`secret(z.string().min(12))`); wrappers added afterwards (`.optional()`, `.default()`) and
 * `.describe()` / `.meta()` keep the mark.
 *
 * @example
 * z.object({ DB_PASSWORD: secret(z.string().min(12)) })
 */
export function secret<S extends StandardSchemaV1>(schema: S): S {
  return markSchema(schema, { secret: true });
}
