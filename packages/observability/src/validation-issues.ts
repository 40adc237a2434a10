// Standard Schema issues and Fastify (ajv) validation results, turned into RFC 9457 field errors.
import type { FieldError } from './http-error.js';

/** One issue as the Standard Schema spec (`~standard`) defines it; zod 4, valibot and arktype all produce these. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** Whether `value` is a non-empty list of Standard Schema issues. */
export function isIssueList(value: unknown): value is readonly StandardSchemaIssue[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const issue of value) {
    if (typeof issue !== 'object' || issue === null || typeof issue.message !== 'string') return false;
    if (issue.path !== undefined && !Array.isArray(issue.path)) return false;
  }
  return true;
}

/** Standard Schema issues → field errors with RFC 6901 pointers (`['items', 0, 'name']` → `/items/0/name`). */
export function issuesToFieldErrors(issues: readonly StandardSchemaIssue[]): FieldError[] {
  return issues.map((issue) => {
    const segments = (issue.path ?? []).map((segment) =>
      typeof segment === 'object' && segment !== null ? segment.key : segment,
    );
    const fieldError: FieldError = { pointer: toPointer(segments), message: issue.message };
    const code = (issue as { code?: unknown }).code;
    if (typeof code === 'string') fieldError.code = code;
    return fieldError;
  });
}

interface AjvIssue {
  instancePath?: unknown;
  message?: unknown;
  keyword?: unknown;
  params?: { missingProperty?: unknown };
}

/** Fastify's `error.validation` (ajv errors) → field errors; a missing property points at the property itself. */
export function ajvToFieldErrors(validation: readonly unknown[]): FieldError[] {
  return validation.map((entry) => {
    const issue = (typeof entry === 'object' && entry !== null ? entry : {}) as AjvIssue;
    let pointer = typeof issue.instancePath === 'string' ? issue.instancePath : '';
    const missing = issue.params?.missingProperty;
    if (typeof missing === 'string') pointer += `/${escapeSegment(missing)}`;
    const fieldError: FieldError = {
      pointer,
      message: typeof issue.message === 'string' ? issue.message : 'is invalid',
    };
    if (typeof issue.keyword === 'string') fieldError.code = issue.keyword;
    return fieldError;
  });
}

// RFC 6901 §4 escapes `~` and `/`. The pointer is the plain string form (`/items/0/name`) that every
// Plinth package puts in `errors[].pointer`, not the URI-fragment form (`#/items/0/name`).
function escapeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function toPointer(segments: readonly PropertyKey[]): string {
  let pointer = '';
  for (const segment of segments) pointer += `/${escapeSegment(String(segment))}`;
  return pointer;
}
