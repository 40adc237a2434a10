// ABAC policies: `can`/`cannot` rules on the resource's attributes, the subject's and the environment;
// deny overrides allow; field-level permissions; a decision log; explain(); and the rules as a query filter.
import { AuthError } from './errors.js';
import { type Filter, filterOf } from './filter.js';
import {
  accountOf,
  type CheckOptions,
  type Decision,
  decisionOf,
  evaluate,
  type PolicyOptions,
  type PolicySubject,
  type Rule,
  RuleIndex,
} from './rules.js';

/** Why a check came out as it did: the decision, and what each candidate rule said. */
export interface Explanation extends Decision {
  /** One line per candidate rule, denies first: "rule name: condition authorId $eq subject.id failed". */
  readonly rules: readonly string[];
}

/** A compiled policy. */
export interface Policy {
  /** How many rules it holds. */
  readonly size: number;
  /** Whether `subject` may `action` the resource (a type-level question when `resource` is omitted). */
  can(
    subject: PolicySubject,
    action: string,
    resourceType: string,
    resource?: object,
    options?: CheckOptions,
  ): boolean;
  /** `can` with the rule that decided and the reason; what `requirePermission` accepts. */
  check(
    subject: PolicySubject,
    action: string,
    resourceType: string,
    resource?: object,
    options?: CheckOptions,
  ): Decision;
  /** Which rule and which condition denied (or allowed), for debugging and support. */
  explain(
    subject: PolicySubject,
    action: string,
    resourceType: string,
    resource?: object,
    options?: CheckOptions,
  ): Explanation;
  /** The fields of `allFields` the subject may `action` on this resource. */
  permittedFields(
    subject: PolicySubject,
    action: string,
    resourceType: string,
    resource: object | undefined,
    allFields: readonly string[],
    options?: Omit<CheckOptions, 'field'>,
  ): string[];
  /** The rows the subject may `action`, as a filter: `toPredicate(filter)` or `toDrizzleWhere(filter, table)`. */
  filter(
    subject: PolicySubject,
    action: string,
    resourceType: string,
    options?: Omit<CheckOptions, 'field'>,
  ): Filter;
}

/** The builder `definePolicy` hands you. */
export interface PolicyBuilder {
  can(
    action: string | readonly string[],
    resource: string | readonly string[],
    conditions?: Rule['conditions'],
    extra?: RuleExtras,
  ): void;
  cannot(
    action: string | readonly string[],
    resource: string | readonly string[],
    conditions?: Rule['conditions'],
    extra?: RuleExtras,
  ): void;
}

/** The optional parts of a rule the builder takes last. */
export type RuleExtras = Pick<Rule, 'when' | 'fields' | 'roles' | 'name'>;

/**
 * Rules written with `can`/`cannot`, as CASL users know them.
 *
 * @example
 * const rules = definePolicy(({ can, cannot }) => {
 *   can('read', 'Post', { published: true });
 *   can(['update', 'delete'], 'Post', { authorId: ref('subject.id') }, { name: 'own posts' });
 *   cannot('delete', 'Post', { locked: true }, { name: 'locked posts' });
 * });
 */
export function definePolicy(build: (builder: PolicyBuilder) => void): Rule[] {
  const rules: Rule[] = [];
  const add =
    (effect: 'allow' | 'deny') =>
    (
      action: Rule['action'],
      resource: Rule['resource'],
      conditions?: Rule['conditions'],
      extra?: RuleExtras,
    ) => {
      rules.push({ effect, action, resource, ...(conditions ? { conditions } : {}), ...extra });
    };
  build({ can: add('allow'), cannot: add('deny') });
  return rules;
}

/**
 * Compiles rules (from `definePolicy`, or plain data from your database) into a policy. Malformed rules
 * throw ERR_AUTH_POLICY_INVALID at start.
 *
 * @example
 * const policy = createPolicy(rules, { onDecision: (record) => log.info(record, 'authz') });
 * policy.can(user, 'update', 'Post', post);
 */
export function createPolicy(rules: readonly Rule[], options: PolicyOptions = {}): Policy {
  if (!Array.isArray(rules))
    throw new AuthError(
      'ERR_AUTH_POLICY_INVALID',
      'createPolicy takes an array of rules (definePolicy builds one).',
    );
  const index = new RuleIndex(rules);
  const log = options.onDecision;
  const record = (
    decision: Decision,
    subject: PolicySubject,
    action: string,
    resourceType: string,
    field: string | undefined,
  ) => {
    log?.({ ...decision, subjectId: subject.id, action, resourceType, field });
  };

  const check: Policy['check'] = (subject, action, resourceType, resource, checkOptions) => {
    const candidates = index.candidates(action, resourceType);
    const decision = decisionOf(evaluate(candidates, subject, resource, checkOptions), candidates);
    if (log) record(decision, subject, action, resourceType, checkOptions?.field);
    return decision;
  };

  return {
    size: index.size,
    can(subject, action, resourceType, resource, checkOptions) {
      if (log) return check(subject, action, resourceType, resource, checkOptions).allowed;
      // The hot path: no Decision object, no reason string (bench "ABAC check").
      const rule = evaluate(index.candidates(action, resourceType), subject, resource, checkOptions);
      return rule !== undefined && !rule.deny;
    },
    check,
    explain(subject, action, resourceType, resource, checkOptions) {
      const candidates = index.candidates(action, resourceType);
      const decision = decisionOf(evaluate(candidates, subject, resource, checkOptions), candidates);
      const accounts = [...candidates.deny, ...candidates.allow].map(
        (rule) => `${rule.deny ? 'deny' : 'allow'} ${accountOf(rule, subject, resource, checkOptions)}`,
      );
      return { ...decision, rules: accounts };
    },
    permittedFields(subject, action, resourceType, resource, allFields, checkOptions) {
      const candidates = index.candidates(action, resourceType);
      return allFields.filter((field) => {
        const rule = evaluate(candidates, subject, resource, { ...checkOptions, field });
        return rule !== undefined && !rule.deny;
      });
    },
    filter: (subject, action, resourceType, checkOptions) =>
      filterOf(index.candidates(action, resourceType), subject, checkOptions),
  };
}
