import { describe, expect, it } from 'vitest';
import { ref } from './conditions.js';
import { AuthError } from './errors.js';
import { toPredicate } from './filter.js';
import { createPolicy, definePolicy } from './policy.js';
import type { DecisionRecord } from './rules.js';

const alice = { id: 'alice', roles: ['author'], attributes: { department: 'news', level: 3 } };
const bob = { id: 'bob', roles: ['author'], attributes: { department: 'sport', level: 1 } };
const editor = { id: 'eve', roles: ['editor'], attributes: {} };

const rules = definePolicy(({ can, cannot }) => {
  can('read', 'Post', { published: true }, { name: 'published posts' });
  can(['read', 'update'], 'Post', { authorId: ref('subject.id') }, { name: 'own posts' });
  can('update', 'Post', undefined, { roles: ['editor'], name: 'editors' });
  cannot('update', 'Post', { locked: true }, { name: 'locked posts' });
  can(
    'read',
    'Post',
    { department: ref('subject.department') },
    { name: 'same department', when: { 'subject.level': { $gte: 2 } } },
  );
  can('publish', 'Post', undefined, { when: { 'env.hour': { $gte: 9, $lt: 17 } }, name: 'office hours' });
  can('update', 'User', { id: ref('subject.id') }, { fields: ['name', 'email'], name: 'own profile' });
  cannot('update', 'User', undefined, {
    fields: ['email'],
    roles: ['author'],
    name: 'authors keep their email',
  });
});
const policy = createPolicy(rules);
const post = (extra: Record<string, unknown> = {}) => ({
  authorId: 'alice',
  published: false,
  locked: false,
  department: 'news',
  ...extra,
});

describe('createPolicy: ABAC checks', () => {
  it('allows by resource attributes compared with the subject', () => {
    expect(policy.can(alice, 'update', 'Post', post())).toBe(true);
    expect(policy.can(bob, 'update', 'Post', post())).toBe(false);
    expect(policy.can(bob, 'read', 'Post', post({ published: true }))).toBe(true);
  });

  it('lets a deny override every allow, the unconditional editor rule included', () => {
    expect(policy.can(editor, 'update', 'Post', post())).toBe(true);
    expect(policy.can(editor, 'update', 'Post', post({ locked: true }))).toBe(false);
    expect(policy.can(alice, 'update', 'Post', post({ locked: true }))).toBe(false);
  });

  it('applies `when` conditions on the subject and the environment', () => {
    expect(policy.can(alice, 'read', 'Post', post({ authorId: 'zed' }))).toBe(true);
    expect(policy.can(bob, 'read', 'Post', post({ authorId: 'zed', department: 'sport' }))).toBe(false);
    expect(policy.can(alice, 'publish', 'Post', post(), { env: { hour: 10 } })).toBe(true);
    expect(policy.can(alice, 'publish', 'Post', post(), { env: { hour: 20 } })).toBe(false);
    expect(policy.can(alice, 'publish', 'Post', post())).toBe(false);
  });

  it('answers type-level questions as CASL does: a conditional allow may apply', () => {
    expect(policy.can(bob, 'update', 'Post')).toBe(true);
    expect(policy.can(bob, 'delete', 'Post')).toBe(false);
  });

  it('permits fields one by one, a field deny removing only that field', () => {
    const me = { id: 'alice' };
    expect(
      policy.permittedFields(editor, 'update', 'User', { id: 'eve' }, ['name', 'email', 'role']),
    ).toEqual(['name', 'email']);
    expect(policy.permittedFields(alice, 'update', 'User', me, ['name', 'email', 'role'])).toEqual(['name']);
    expect(policy.can(alice, 'update', 'User', me, { field: 'role' })).toBe(false);
    expect(policy.can(alice, 'update', 'User', me)).toBe(true);
  });

  it('explains which rule and which condition denied', () => {
    const locked = policy.explain(alice, 'update', 'Post', post({ locked: true }));
    expect(locked).toMatchObject({ allowed: false, rule: 'locked posts', reason: 'denied by locked posts' });
    const notMine = policy.explain(bob, 'update', 'Post', post());
    expect(notMine.allowed).toBe(false);
    expect(notMine.rules).toEqual([
      'deny locked posts: condition locked $eq true failed',
      'allow own posts: condition authorId $eq subject.id failed',
      'allow editors: applies to roles editor only',
    ]);
  });

  it('writes every decision to the decision log', () => {
    const log: DecisionRecord[] = [];
    const logged = createPolicy(rules, { onDecision: (record) => log.push(record) });
    logged.can(bob, 'update', 'Post', post());
    logged.check(alice, 'update', 'Post', post());
    expect(log).toEqual([
      {
        allowed: false,
        reason: 'no allow rule matched',
        subjectId: 'bob',
        action: 'update',
        resourceType: 'Post',
        field: undefined,
      },
      {
        allowed: true,
        rule: 'own posts',
        reason: 'allowed by own posts',
        subjectId: 'alice',
        action: 'update',
        resourceType: 'Post',
        field: undefined,
      },
    ]);
  });

  it('refuses malformed rules at start, naming what to fix', () => {
    const invalid = (rule: object) => () => createPolicy([rule as never]);
    expect(invalid({ action: 'read', resource: 'Post', conditions: { a: { $regex: 'x' } } })).toThrow(
      /Unknown operator \$regex/,
    );
    expect(invalid({ action: '', resource: 'Post' })).toThrow(AuthError);
    expect(invalid({ action: 'read', resource: 'Post', when: { published: true } })).toThrow(
      /"when" paths start with/,
    );
    expect(invalid({ action: 'read', resource: 'Post', conditions: { '__proto__.x': 1 } })).toThrow(
      /not allowed/,
    );
    expect(() => ref('user.id')).toThrow(/must start with "subject." or "env."/);
  });

  it('does not read inherited properties of a resource', () => {
    const open = createPolicy(definePolicy(({ can }) => can('read', 'Doc', { isPublic: true })));
    const sneaky = Object.create({ isPublic: true }) as object;
    expect(open.can(bob, 'read', 'Doc', sneaky)).toBe(false);
  });
});

describe('rules as a filter', () => {
  it('builds the OR of allows AND NOT each deny, with refs resolved', () => {
    expect(policy.filter(bob, 'update', 'Post')).toEqual({
      kind: 'and',
      items: [
        { kind: 'compare', field: 'authorId', operator: 'eq', value: 'bob' },
        { kind: 'not', item: { kind: 'compare', field: 'locked', operator: 'eq', value: true } },
      ],
    });
    expect(policy.filter(bob, 'delete', 'Post')).toEqual({ kind: 'none' });
  });

  it('answers like can() for every row, as a predicate', () => {
    const rows = [
      post(),
      post({ authorId: 'bob' }),
      post({ authorId: 'bob', locked: true }),
      post({ published: true, authorId: 'zed' }),
      post({ authorId: 'zed', department: 'sport' }),
      post({ authorId: null, locked: null }),
    ];
    for (const subject of [alice, bob, editor]) {
      for (const action of ['read', 'update', 'delete']) {
        const predicate = toPredicate(policy.filter(subject, action, 'Post'));
        for (const row of rows)
          expect(predicate(row), `${subject.id} ${action} ${JSON.stringify(row)}`).toBe(
            policy.can(subject, action, 'Post', row),
          );
      }
    }
  });
});

describe('indexing', () => {
  it('keeps 100k rules and looks only at those of the action and resource type asked', () => {
    const many = Array.from({ length: 100_000 }, (_, index) => ({
      action: index % 2 === 0 ? 'read' : 'update',
      resource: `Type${index % 1000}`,
      conditions: { ownerId: `user-${index}` },
      name: `r${index}`,
    }));
    const big = createPolicy(many);
    expect(big.size).toBe(100_000);
    const explanation = big.explain({ id: 'x' }, 'read', 'Type42', { ownerId: 'user-5042' });
    expect(explanation).toMatchObject({ allowed: true, rule: 'r5042' });
    // Type42 holds rules 42, 1042, ... (all "read"): 100 candidates out of 100,000.
    expect(explanation.rules).toHaveLength(100);
    expect(big.explain({ id: 'x' }, 'update', 'Type42').rules).toHaveLength(0);
    expect(big.explain({ id: 'x' }, 'read', 'Type43', { ownerId: 'user-5042' }).allowed).toBe(false);
  });
});
