// The serializer plan interpreted: the safe fallback where generated code cannot run (a runtime that
// forbids `new Function`), and the reference the compiled serializer is tested against.
import { jsonNumber } from './json-number.js';
import { jsonString } from './json-string.js';
import type { PlanNode } from './serializer-plan.js';
import {
  anyJson,
  dateJson,
  mismatch,
  primitiveJson,
  validatedJson,
  validatedMember,
} from './serializer-runtime.js';

/** A JSON Pointer segment (RFC 6901) of a schema key, for error messages. */
export function pointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function writeObject(
  properties: ReadonlyArray<readonly [string, PlanNode]>,
  value: unknown,
  path: string,
): string {
  if (typeof value !== 'object' || value === null) return mismatch(path, 'an object', value);
  let json = '{';
  let separator = '';
  for (const [key, node] of properties) {
    const member = writeMember(
      node,
      (value as Record<string, unknown>)[key],
      `${path}/${pointerSegment(key)}`,
    );
    if (member === undefined) continue;
    json += `${separator}${jsonString(key)}:${member}`;
    separator = ',';
  }
  return `${json}}`;
}

/** Whether a member of this kind may be absent (then it is left out, as JSON.stringify does). */
export function mayBeAbsent(node: PlanNode): boolean {
  if (node.kind === 'optional' || node.kind === 'any') return true;
  return node.kind === 'nullable' && mayBeAbsent(node.inner);
}

/** One object member's JSON, or `undefined` to leave it out (an absent optional member). */
function writeMember(node: PlanNode, value: unknown, path: string): string | undefined {
  if (value === undefined) {
    if (mayBeAbsent(node)) return undefined;
    if (node.kind === 'validated') return validatedMember(node.schema, value, path);
  }
  return writeValue(node, value, path);
}

function writeList(item: PlanNode, value: unknown, path: string): string {
  if (!Array.isArray(value)) return mismatch(path, 'an array', value);
  let json = '[';
  for (let index = 0; index < value.length; index++) {
    if (index !== 0) json += ',';
    json += writeValue(item, value[index], `${path}/*`);
  }
  return `${json}]`;
}

function writeRecord(node: PlanNode, value: unknown, path: string): string {
  if (typeof value !== 'object' || value === null) return mismatch(path, 'an object', value);
  let json = '{';
  let separator = '';
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member = writeMember(node, (value as Record<string, unknown>)[key], `${path}/*`);
    if (member === undefined) continue;
    json += `${separator}${jsonString(key)}:${member}`;
    separator = ',';
  }
  return `${json}}`;
}

/** The JSON of `value` written by the plan `node`; `path` names the place in errors. */
export function writeValue(node: PlanNode, value: unknown, path: string): string {
  switch (node.kind) {
    case 'string':
      return typeof value === 'string' ? jsonString(value) : mismatch(path, 'a string', value);
    case 'number':
      return typeof value === 'number' ? jsonNumber(value) : mismatch(path, 'a number', value);
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : mismatch(path, 'a boolean', value);
    case 'bigint':
      return typeof value === 'bigint' ? `"${value}"` : mismatch(path, 'a bigint', value);
    case 'date':
      if (value instanceof Date) return dateJson(value);
      return typeof value === 'string' ? jsonString(value) : mismatch(path, 'a Date', value);
    case 'null':
      return value === null ? 'null' : mismatch(path, 'null', value);
    case 'primitive':
      return primitiveJson(value, path);
    case 'any':
      return anyJson(value);
    case 'optional':
      return value === undefined ? 'null' : writeValue(node.inner, value, path);
    case 'nullable':
      return value === null ? 'null' : writeValue(node.inner, value, path);
    case 'default':
      return writeValue(node.inner, value === undefined ? node.value() : value, path);
    case 'object':
      return writeObject(node.properties, value, path);
    case 'array':
      return writeList(node.item, value, path);
    case 'tuple': {
      if (!Array.isArray(value)) return mismatch(path, 'an array', value);
      const items = node.items.map((item, index) => writeValue(item, value[index], `${path}/${index}`));
      return `[${items.join(',')}]`;
    }
    case 'record':
      return writeRecord(node.value, value, path);
    case 'validated':
      return validatedJson(node.schema, value, path);
  }
}
