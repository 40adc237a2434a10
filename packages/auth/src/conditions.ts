// Conditions on attributes, compiled once into closures: `{ authorId: ref('subject.id'), status: { $in: [...] } }`.
// The same data also becomes a query filter (filter.ts), so a list endpoint and a check agree.
import { AuthError } from './errors.js';

/** A value read from the subject or the environment at check time: `ref('subject.id')`, `ref('env.hour')`. */
export interface AttributeRef {
  readonly $ref: string;
}

/** A literal a condition compares with. */
export type ConditionValue = string | number | boolean | null | Date | AttributeRef;

/** Operators, as in CASL / MongoDB queries. A missing attribute fails every operator but `$ne`, `$nin` and `$exists: false`. */
export interface ConditionOperators {
  $eq?: ConditionValue;
  $ne?: ConditionValue;
  $in?: readonly ConditionValue[] | AttributeRef;
  $nin?: readonly ConditionValue[] | AttributeRef;
  $gt?: ConditionValue;
  $gte?: ConditionValue;
  $lt?: ConditionValue;
  $lte?: ConditionValue;
  $exists?: boolean;
}

/** Attribute path (dot notation) → a value (equality) or operators; all must hold. */
export type Conditions = Readonly<Record<string, ConditionValue | ConditionOperators>>;

/** The operator names. */
export type Operator = 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists';

/** What conditions are evaluated against: the subject's attributes and the environment. */
export interface ConditionScope {
  readonly subject: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, unknown>>;
}

/** Internal: one compiled comparison. */
export interface Comparison {
  readonly path: string;
  readonly operator: Operator;
  readonly value: unknown;
  /** Reads the attribute from an object. */
  readonly read: (target: unknown) => unknown;
  /** Resolves the expected value (refs read from the scope; `scope` is set whenever `usesScope`). */
  readonly expected: (scope: ConditionScope | undefined) => unknown;
  /** Whether `expected` reads the subject or the environment. */
  readonly usesScope: boolean;
  /** The whole comparison on a target, specialised at compile time (bench "ABAC check"). */
  readonly test: (target: unknown, scope: ConditionScope | undefined) => boolean;
}

/** Refers to an attribute of the subject (`subject.id`, `subject.department`) or the environment (`env.ip`). */
export function ref(path: string): AttributeRef {
  if (!/^(subject|env)\.[A-Za-z0-9_.$-]+$/.test(path)) {
    throw new AuthError('ERR_AUTH_POLICY_INVALID', `ref("${path}") must start with "subject." or "env.".`);
  }
  return { $ref: path };
}

const isRef = (value: unknown): value is AttributeRef =>
  typeof value === 'object' && value !== null && typeof (value as AttributeRef).$ref === 'string';

const forbiddenSegments = new Set(['__proto__', 'prototype', 'constructor']);

/** Internal: a reader of a dot path; own properties only. */
export function reader(path: string): (target: unknown) => unknown {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '' || forbiddenSegments.has(segment))) {
    throw new AuthError('ERR_AUTH_POLICY_INVALID', `The attribute path "${path}" is not allowed.`);
  }
  if (segments.length === 1) {
    const [key] = segments as [string];
    return (target) =>
      target !== null && typeof target === 'object' && Object.hasOwn(target, key)
        ? (target as Record<string, unknown>)[key]
        : undefined;
  }
  return (target) => {
    let current = target;
    for (const segment of segments) {
      if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment))
        return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  };
}

function expectation(value: unknown): (scope: ConditionScope | undefined) => unknown {
  if (isRef(value)) {
    const [root, ...rest] = value.$ref.split('.');
    const read = reader(rest.join('.'));
    return root === 'subject' ? (scope) => read(scope?.subject) : (scope) => read(scope?.env);
  }
  return () => value;
}

const isPrimitive = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** A closure per comparison: `$eq` on a primitive (the common case) skips the generic operator switch. */
function tester(
  operator: Operator,
  read: (target: unknown) => unknown,
  value: unknown,
  expected: (scope: ConditionScope | undefined) => unknown,
): Comparison['test'] {
  if (operator === 'eq' && isPrimitive(value)) {
    return (target) => {
      const actual = read(target);
      return actual === value || (actual instanceof Date && equal(actual, value));
    };
  }
  if (operator === 'eq' && isRef(value)) {
    return (target, scope) => {
      const actual = read(target);
      const wanted = expected(scope);
      return (
        actual !== undefined &&
        actual !== null &&
        (isPrimitive(wanted) ? actual === wanted : equal(actual, wanted))
      );
    };
  }
  if (operator === 'in' && Array.isArray(value) && value.every(isPrimitive)) {
    const set = new Set<unknown>(value);
    return (target) => {
      const actual = read(target);
      return actual instanceof Date ? holds('in', actual, value) : set.has(actual);
    };
  }
  return (target, scope) => holds(operator, read(target), expected(scope));
}

const operatorNames: Record<string, Operator> = {
  $eq: 'eq',
  $ne: 'ne',
  $in: 'in',
  $nin: 'nin',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
  $exists: 'exists',
};

/** Internal: compiles conditions into comparisons (refused at start when malformed). */
export function compileConditions(conditions: Conditions | undefined): Comparison[] {
  if (conditions === undefined) return [];
  const comparisons: Comparison[] = [];
  for (const [path, spec] of Object.entries(conditions)) {
    const read = reader(path);
    const isOperators = spec !== null && typeof spec === 'object' && !isRef(spec) && !(spec instanceof Date);
    const entries = isOperators ? Object.entries(spec as ConditionOperators) : [['$eq', spec] as const];
    for (const [name, value] of entries) {
      const operator = operatorNames[name];
      if (operator === undefined) {
        throw new AuthError(
          'ERR_AUTH_POLICY_INVALID',
          `Unknown operator ${name} on "${path}"; use one of ${Object.keys(operatorNames).join(', ')}.`,
        );
      }
      if ((operator === 'in' || operator === 'nin') && !Array.isArray(value) && !isRef(value)) {
        throw new AuthError('ERR_AUTH_POLICY_INVALID', `${name} on "${path}" needs an array.`);
      }
      const expected = expectation(value);
      const usesScope = isRef(value);
      comparisons.push({
        path,
        operator,
        value,
        read,
        expected,
        usesScope,
        test: tester(operator, read, value, expected),
      });
    }
  }
  return comparisons;
}

const comparable = (value: unknown): number | string | undefined =>
  value instanceof Date
    ? value.getTime()
    : typeof value === 'number' || typeof value === 'string'
      ? value
      : undefined;

function equal(actual: unknown, expected: unknown): boolean {
  if (actual instanceof Date || expected instanceof Date) return comparable(actual) === comparable(expected);
  return actual === expected;
}

/** Internal: evaluates one comparison on an attribute value. */
export function holds(operator: Operator, actual: unknown, expected: unknown): boolean {
  const missing = actual === undefined || actual === null;
  switch (operator) {
    case 'eq':
      return !missing && equal(actual, expected);
    case 'ne':
      return missing || !equal(actual, expected);
    case 'in':
      return !missing && Array.isArray(expected) && expected.some((item) => equal(actual, item));
    case 'nin':
      return missing || !Array.isArray(expected) || !expected.some((item) => equal(actual, item));
    case 'exists':
      return expected === !missing;
    default: {
      const left = comparable(actual);
      const right = comparable(expected);
      if (left === undefined || right === undefined || typeof left !== typeof right) return false;
      if (operator === 'gt') return left > right;
      if (operator === 'gte') return left >= right;
      if (operator === 'lt') return left < right;
      return left <= right;
    }
  }
}

/** Internal: the first comparison that fails on `target`, or undefined when all hold. */
export function firstFailure(
  comparisons: readonly Comparison[],
  target: unknown,
  scope: ConditionScope | undefined,
): Comparison | undefined {
  for (let index = 0; index < comparisons.length; index++) {
    const comparison = comparisons[index] as Comparison;
    if (!comparison.test(target, scope)) return comparison;
  }
  return undefined;
}

/** Internal: a comparison in words, for explain() and the decision log. */
export function describeComparison(comparison: Comparison): string {
  const value = isRef(comparison.value) ? comparison.value.$ref : JSON.stringify(comparison.value);
  return `${comparison.path} $${comparison.operator} ${value}`;
}
