// A user's rules as a query filter: which rows of a resource type they may see, built from the rules
// without loading a row. The same filter becomes a plain predicate or a drizzle `where` (./drizzle).
import { type Comparison, type ConditionScope, holds, type Operator } from './conditions.js';
import type { Candidates, CheckOptions, CompiledRule, PolicySubject } from './rules.js';
import { applies, scopeOf } from './rules.js';

/** A filter over a resource's attributes; refs already resolved to the subject's values. */
export type Filter =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'and'; readonly items: readonly Filter[] }
  | { readonly kind: 'or'; readonly items: readonly Filter[] }
  | { readonly kind: 'not'; readonly item: Filter }
  | {
      readonly kind: 'compare';
      readonly field: string;
      readonly operator: Operator;
      readonly value: unknown;
    };

const all: Filter = { kind: 'all' };
const none: Filter = { kind: 'none' };

function conjunction(comparisons: readonly Comparison[], scope: ConditionScope): Filter {
  const items: Filter[] = comparisons.map((comparison) => ({
    kind: 'compare',
    field: comparison.path,
    operator: comparison.operator,
    value: comparison.expected(scope),
  }));
  return items.length === 0 ? all : items.length === 1 ? (items[0] as Filter) : { kind: 'and', items };
}

/** Internal: the filter of the candidate rules for one subject (field-restricted rules do not narrow rows). */
export function filterOf(
  candidates: Candidates,
  subject: PolicySubject,
  options: CheckOptions | undefined,
): Filter {
  const scope = scopeOf(subject, options?.env);
  const live = (rule: CompiledRule) => applies(rule, subject, scope) === undefined;
  const allows: Filter[] = [];
  for (const rule of candidates.allow) {
    if (!live(rule)) continue;
    if (rule.conditions.length === 0) {
      allows.length = 0;
      allows.push(all);
      break;
    }
    allows.push(conjunction(rule.conditions, scope));
  }
  if (allows.length === 0) return none;
  const parts: Filter[] =
    allows[0] === all ? [] : [allows.length === 1 ? (allows[0] as Filter) : { kind: 'or', items: allows }];
  for (const rule of candidates.deny) {
    if (!live(rule) || rule.fields !== undefined) continue;
    if (rule.conditions.length === 0) return none;
    parts.push({ kind: 'not', item: conjunction(rule.conditions, scope) });
  }
  return parts.length === 0 ? all : parts.length === 1 ? (parts[0] as Filter) : { kind: 'and', items: parts };
}

function readField(row: Record<string, unknown>, field: string): unknown {
  let current: unknown = row;
  for (const segment of field.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * A filter as a predicate over plain rows (an in-memory list, a cache): the same answers `can` gives.
 *
 * @example
 * const visible = posts.filter(toPredicate(policy.filter(user, 'read', 'Post')));
 */
export function toPredicate(filter: Filter): (row: object) => boolean {
  switch (filter.kind) {
    case 'all':
      return () => true;
    case 'none':
      return () => false;
    case 'compare':
      return (row) =>
        holds(filter.operator, readField(row as Record<string, unknown>, filter.field), filter.value);
    case 'not': {
      const inner = toPredicate(filter.item);
      return (row) => !inner(row);
    }
    case 'and': {
      const items = filter.items.map(toPredicate);
      return (row) => items.every((item) => item(row));
    }
    case 'or': {
      const items = filter.items.map(toPredicate);
      return (row) => items.some((item) => item(row));
    }
  }
}
