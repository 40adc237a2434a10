// Standard Schema issues → `errors[]` entries with RFC 6901 pointers rooted at the request part
// (`/body/items/3/qty`), and issues stripped of every value the validator attached to them.
import type { FieldError } from './errors.js';
import type { SensitiveTest } from './sensitive.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** An issue as this package re-emits it: message, path keys and code, never the input. */
export interface SafeIssue extends StandardSchemaV1.Issue {
  /** The path as plain keys. */
  readonly path: readonly PropertyKey[];
  /** The validator's issue code, else `invalid`. */
  readonly code: string;
}

// Shown instead of the validator's message for sensitive fields: valibot's messages quote the
// received value ("Expected string but received 5"), and custom zod messages may too.
const genericMessages: Record<string, string> = {
  invalid_type: 'Invalid type',
  too_small: 'Too small',
  too_big: 'Too big',
  invalid_format: 'Invalid format',
  invalid_value: 'Invalid value',
};

function keyOf(segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment;
}

// RFC 6901 §3: `~` is written `~0` and `/` is written `~1`.
function escapeSegment(key: PropertyKey): string {
  const text = typeof key === 'symbol' ? (key.description ?? '') : String(key);
  return text.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The JSON Pointer of a path under a root such as `/body`. */
export function toPointer(root: string, path: readonly PropertyKey[]): string {
  let pointer = root;
  for (const key of path) pointer += `/${escapeSegment(key)}`;
  return pointer;
}

function isSensitivePath(path: readonly PropertyKey[], sensitive: SensitiveTest): boolean {
  return path.some((key) => typeof key === 'string' && sensitive(key));
}

/** One issue made safe to keep on an error: keys only, a code, and no value for sensitive fields. */
export function toSafeIssue(
  issue: StandardSchemaV1.Issue,
  sensitive: SensitiveTest,
  prefix: readonly PropertyKey[] = [],
): SafeIssue {
  const path = [...prefix, ...(issue.path ?? []).map(keyOf)];
  const raw = (issue as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : 'invalid';
  const message = isSensitivePath(path, sensitive)
    ? `${genericMessages[code] ?? 'Invalid value'} (the value of a sensitive field is not shown)`
    : issue.message;
  return { message, path, code };
}

/** The `errors[]` entry of a safe issue whose path starts with the request part. */
export function toFieldError(issue: SafeIssue): FieldError {
  const [part, ...rest] = issue.path;
  return { pointer: toPointer(`/${String(part)}`, rest), message: issue.message, code: issue.code };
}
