// A zod schema read once (`_zod.def`) and compiled into one function that accepts common valid input
// without zod's per-node payloads and issue arrays, building the output zod would build (shape keys in
// shape order, unknown keys dropped). It only ever accepts: whenever it is not certain it answers
// `unsure` and the schema itself validates, so every failure, message and issue is zod's own. Scalars
// with checks it does not know (formats, trims) are validated by their own schema; refinements leave
// the whole schema to zod, which runs them once. Given a value nothing else holds (JSON.parse's own
// output), an object or array that already is exactly that output is answered as it is, not copied.
// Benchmarks "validate order body" and "HTTP POST /orders" are why this exists; closures per node
// measured 3× slower than zod there, a generated function (as serializer-compile.ts) 3–4× faster.
import { literal, SourceBuilder } from './code-generator.js';
import { zodDef } from './serializer-plan.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** What a check answers when it cannot vouch for the value: the schema decides. */
export const unsure: unique symbol = Symbol('unsure');

/**
 * A compiled check: the output zod would give, or {@link unsure}. With `owned` (a value JSON.parse
 * made for this call alone: plain objects and arrays, no getters) an object whose keys are the
 * shape's, in its order, and an array whose items come out unchanged are the output themselves: the
 * copy zod makes would be equal to them (bench "HTTP POST /orders": 1.5 kB less garbage a request).
 */
export type SchemaCheck = (value: unknown, owned?: boolean) => unknown;

interface CheckDef {
  check?: unknown;
  format?: unknown;
  value?: unknown;
  inclusive?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  length?: unknown;
}

interface Def {
  type: string;
  coerce?: unknown;
  check?: unknown;
  checks?: Array<{ _zod?: { def?: CheckDef } }>;
  shape?: Record<string, unknown>;
  catchall?: unknown;
  element?: unknown;
  innerType?: unknown;
}

/** An object member: its key, its output expression, its presence flag (optional), its input variable. */
type Member = [key: string, output: string, present: string | undefined, input: string];

/** A test of a value held in a variable, as JS source; constants go through `constant()`. */
type Test = (name: string, constant: (value: unknown) => string) => string;

// The checks of a node: its own (z.int(), z.email() are checks themselves), then `.checks`.
function checksOf(def: Def): CheckDef[] | undefined {
  const checks: CheckDef[] = def.check === undefined ? [] : [def as CheckDef];
  for (const check of def.checks ?? []) {
    const checkDef = check._zod?.def;
    if (checkDef === undefined) return undefined;
    checks.push(checkDef);
  }
  return checks;
}

// Number checks, exactly as zod states them.
function numberTest(check: CheckDef): Test | undefined {
  const { value } = check;
  const bound = check.check === 'greater_than' ? '>' : check.check === 'less_than' ? '<' : undefined;
  if (bound !== undefined && typeof value === 'number') {
    const operator = check.inclusive ? `${bound}=` : bound;
    return (name, constant) => `${name} ${operator} ${constant(value)}`;
  }
  if (check.check === 'number_format' && check.format === 'safeint')
    return (name) => `Number.isSafeInteger(${name})`;
  return undefined;
}

// String lengths: zod counts code points, of which a string has at least half its UTF-16 units and at
// most all of them, exactly as many when it holds no surrogate; only what is certain is accepted.
const surrogate = /[\uD800-\uDFFF]/;

function stringTest(check: CheckDef): Test | undefined {
  const { minimum, maximum } = check;
  if (check.check === 'min_length' && typeof minimum === 'number')
    return (name, constant) =>
      `(${name}.length >= ${constant(2 * minimum - 1)} || (${name}.length >= ${constant(minimum)} && !${constant(surrogate)}.test(${name})))`;
  if (check.check === 'max_length' && typeof maximum === 'number')
    return (name, constant) => `${name}.length <= ${constant(maximum)}`;
  return undefined;
}

function arrayTest(check: CheckDef): Test | undefined {
  const operators: Record<string, [string, unknown]> = {
    min_length: ['>=', check.minimum],
    max_length: ['<=', check.maximum],
    length_equals: ['===', check.length],
  };
  const [operator, bound] = operators[String(check.check)] ?? [];
  if (operator === undefined || typeof bound !== 'number') return undefined;
  return (name, constant) => `${name}.length ${operator} ${constant(bound)}`;
}

function testsOf(def: Def, testOf: (check: CheckDef) => Test | undefined): Test[] | undefined {
  const checks = checksOf(def);
  if (checks === undefined) return undefined;
  const tests: Test[] = [];
  for (const check of checks) {
    const test = testOf(check);
    if (test === undefined) return undefined;
    tests.push(test);
  }
  return tests;
}

const hasChecks = (def: Def): boolean => (def.checks?.length ?? 0) > 0;

// A refinement (`.refine()`, `.check()`: the `custom` check) may be asynchronous or have effects: it
// must run once per request, so a schema holding one is validated by zod alone.
const isPure = (def: Def): boolean => checksOf(def)?.every((check) => check.check !== 'custom') ?? false;

const scalarTypes: Record<string, [Test, (check: CheckDef) => Test | undefined]> = {
  number: [(name) => `typeof ${name} === "number" && Number.isFinite(${name})`, numberTest],
  string: [(name) => `typeof ${name} === "string"`, stringTest],
  boolean: [(name) => `typeof ${name} === "boolean"`, () => undefined],
};

/** The generated source of one schema check. */
class Generator extends SourceBuilder {
  /** A scalar validated by its own schema: its output (a trimmed string ...) is used as zod gives it. */
  delegated(schema: unknown, name: string): [string, string] {
    const output = this.name('d');
    const standard = this.constant((schema as StandardSchemaV1)['~standard']);
    return [`const ${output} = del(${standard}, ${name}); if (${output} === U) return U;`, output];
  }

  /**
   * Statements that `return U` unless the value in variable `name` passes, and the expression of its
   * output; `undefined` when the node is beyond the check.
   */
  node(schema: unknown, name: string, stack: Set<unknown>): [string, string] | undefined {
    const def = zodDef(schema) as Def | undefined;
    if (def === undefined || stack.has(schema) || stack.size > 64) return undefined;
    stack.add(schema);
    try {
      return this.definition(schema, def, name, stack);
    } finally {
      stack.delete(schema);
    }
  }

  definition(schema: unknown, def: Def, name: string, stack: Set<unknown>): [string, string] | undefined {
    switch (def.type) {
      case 'string':
      case 'number':
      case 'boolean': {
        if (!isPure(def)) return undefined;
        const [is, testOf] = scalarTypes[def.type] as (typeof scalarTypes)[string];
        const tests = def.coerce ? undefined : testsOf(def, testOf);
        if (tests === undefined) return this.delegated(schema, name);
        const condition = [is, ...tests].map((test) => test(name, this.constant)).join(' && ');
        return [`if (!(${condition})) return U;`, name];
      }
      case 'enum':
      case 'literal': {
        if (!isPure(def)) return undefined;
        const values = (schema as { _zod: { values?: ReadonlySet<unknown> } })._zod.values;
        if (values === undefined || hasChecks(def)) return this.delegated(schema, name);
        return [`if (!${this.constant(values)}.has(${name})) return U;`, name];
      }
      case 'nullable':
      case 'optional': {
        if (hasChecks(def)) return undefined;
        const inner = this.node(def.innerType, name, stack);
        if (inner === undefined) return undefined;
        const output = this.name('n');
        // A present `undefined` is not JSON: the schema decides it.
        const empty = def.type === 'nullable' ? `${name} === null` : `${name} === undefined`;
        const onEmpty = def.type === 'nullable' ? `${output} = null;` : 'return U;';
        return [
          `let ${output}; if (${empty}) ${onEmpty} else { ${inner[0]} ${output} = ${inner[1]}; }`,
          output,
        ];
      }
      case 'object':
        return this.call(this.object(def, stack), name);
      case 'array':
        return this.call(this.array(def, stack), name);
      default:
        // Defaults, unions, transforms, pipes, records, lazy ...: the schema validates as a whole.
        return undefined;
    }
  }

  call(fn: string | undefined, name: string): [string, string] | undefined {
    if (fn === undefined) return undefined;
    const output = this.name('r');
    return [`const ${output} = ${fn}(${name}, r); if (${output} === U) return U;`, output];
  }

  array(def: Def, stack: Set<unknown>): string | undefined {
    const tests = testsOf(def, arrayTest);
    const item = this.name('m');
    const element = this.node(def.element, item, stack);
    if (tests === undefined || element === undefined) return undefined;
    const fn = this.name('f');
    const lengths = tests.map((test) => `if (!(${test('v', this.constant)})) return U;`).join(' ');
    // Owned: no copy until an item comes out changed (a trimmed string, a copied object).
    this.functions.push(
      `function ${fn}(v, r) { if (!Array.isArray(v)) return U; ${lengths} let o = r ? undefined : new Array(v.length);` +
        ` for (let i = 0; i < v.length; i++) { const ${item} = v[i]; ${element[0]} const e = ${element[1]};` +
        ` if (o !== undefined) o[i] = e; else if (e !== ${item}) { o = v.slice(0, i); o[i] = e; } }` +
        ` return o === undefined ? v : o; }`,
    );
    return fn;
  }

  object(def: Def, stack: Set<unknown>): string | undefined {
    const shape = def.shape ?? {};
    // A catchall other than z.strictObject's `never` passes unknown keys on: the schema decides.
    const strict = zodDef(def.catchall)?.type === 'never';
    if ((def.catchall !== undefined && !strict) || hasChecks(def)) return undefined;
    if (Object.getOwnPropertySymbols(shape).length > 0) return undefined;
    const statements: string[] = [];
    const members: Member[] = [];
    for (const key of Object.keys(shape)) {
      // Keys Object.prototype has (`constructor`, `__proto__` ...) or the JSON reader refuses: the
      // schema decides, as `key in value` would not tell what the client sent.
      if (key in Object.prototype || key === 'prototype') return undefined;
      const member = shape[key];
      const { optin, optout } = (member as { _zod: { optin?: unknown; optout?: unknown } })._zod;
      if (optin !== optout || (optin !== undefined && optin !== 'optional')) return undefined;
      const name = this.name('m');
      const checked = this.node(member, name, stack);
      if (checked === undefined) return undefined;
      const read = `const ${name} = v[${literal(key)}];`;
      if (optin === undefined) {
        statements.push(`${read} if (${name} === undefined) return U; ${checked[0]}`);
        members.push([key, checked[1], undefined, name]);
      } else {
        // Absent: left out of the output, as zod does; present as `undefined`: the schema decides.
        const present = this.name('p');
        const output = this.name('o');
        statements.push(
          `${read} let ${present} = false, ${output};` +
            ` if (${name} !== undefined) { ${checked[0]} ${output} = ${checked[1]}; ${present} = true; }` +
            ` else if (${literal(key)} in v) return U;`,
        );
        members.push([key, output, present, name]);
      }
    }
    if (strict) {
      const count = members.map(([, , present]) => (present === undefined ? '1' : `+${present}`)).join(' + ');
      statements.push(`if (Object.keys(v).length !== ${count || '0'}) return U;`);
    }
    const fn = this.name('f');
    const allRequired = members.every(([, , present]) => present === undefined);
    const build = allRequired
      ? `${this.reuse(members)} return { ${members.map(([key, output]) => `${literal(key)}: ${output}`).join(', ')} };`
      : `const o = {}; ${members.map(([key, output, present]) => `${present === undefined ? '' : `if (${present}) `}o[${literal(key)}] = ${output};`).join(' ')} return o;`;
    this.functions.push(
      `function ${fn}(v, r) { if (typeof v !== "object" || v === null || Array.isArray(v)) return U; ${statements.join(' ')} ${build} }`,
    );
    return fn;
  }

  /**
   * Owned, every member out unchanged and the keys exactly the shape's in its order (for...in also
   * walks inherited enumerable keys, so a polluted prototype means a copy): `v` is the output.
   */
  reuse(members: readonly Member[]): string {
    const keys = this.constant(members.map(([key]) => key));
    // A scalar's output is its input variable itself: only the others can have changed.
    const changed = members
      .filter(([, output, , input]) => output !== input)
      .map(([, output, , input]) => `${output} !== ${input}`);
    const same = changed.length === 0 ? '' : ` && !(${changed.join(' || ')})`;
    return (
      `if (r${same}) { let i = 0; for (const key in v) { if (i === ${members.length} || key !== ${keys}[i]) { i = -1; break; } i++; }` +
      ` if (i === ${members.length}) return v; }`
    );
  }
}

// A delegated scalar (formats, trims: synchronous, no effects): its output, or `unsure` when it fails.
function delegate(standard: StandardSchemaV1['~standard'], value: unknown): unknown {
  const result = standard.validate(value);
  if (result instanceof Promise) return unsure;
  return result.issues === undefined ? result.value : unsure;
}

/**
 * The compiled check of a zod schema, or `undefined` when any part of it is beyond the check or code
 * generation is refused (a Content-Security-Policy): then the schema validates every value itself.
 */
export function compileCheck(schema: unknown): SchemaCheck | undefined {
  const generator = new Generator();
  const root = generator.node(schema, 'v', new Set());
  if (root === undefined) return undefined;
  const body = `${generator.functions.join('\n')}\nreturn function check(v, r) { r = r === true; ${root[0]} return ${root[1]}; };`;
  try {
    return new Function('k', 'U', 'del', body)(generator.constants, unsure, delegate) as SchemaCheck;
  } catch {
    return undefined;
  }
}
