// The serializer plan compiled into one specialised function (the fast-json-stringify technique):
// property reads and JSON key literals are inlined. The generated source holds only what the schema
// declares, every key passed through JSON.stringify twice (a JSON key, then a JS string literal);
// values are never part of it. Benchmark "serialize DTO" is why this exists.
import { literal, SourceBuilder } from './code-generator.js';
import { jsonNumber } from './json-number.js';
import { jsonString, jsonStringContent } from './json-string.js';
import type { PlanNode } from './serializer-plan.js';
import {
  anyJson,
  dateJson,
  mismatch,
  primitiveJson,
  validatedJson,
  validatedMember,
} from './serializer-runtime.js';
import { mayBeAbsent, pointerSegment } from './serializer-write.js';

/**
 * One piece of generated writing: known `text`, an expression whose `json` is appended, or a
 * statement (`code`) that `writes` to `s` itself or only declares and checks.
 */
type Part =
  | { readonly text: string }
  | { readonly json: string }
  | { readonly code: string; readonly writes: boolean };

/**
 * The statements of `parts`, known text folded into the next append: `s += "\",\"qty\":" + num(v)`
 * closes a string, writes a key and a value in one append (bench "serialize DTO").
 */
function render(parts: readonly Part[]): string {
  let code = '';
  let pending = '';
  for (const part of parts) {
    if ('text' in part) {
      pending += part.text;
    } else if ('json' in part) {
      code += `s += ${pending === '' ? '' : `${literal(pending)} + `}${part.json};`;
      pending = '';
    } else {
      if (part.writes && pending !== '') {
        code += `s += ${literal(pending)};`;
        pending = '';
      }
      code += part.code;
    }
  }
  return pending === '' ? code : `${code} s += ${literal(pending)};`;
}

/** The generated call that throws for `v` at `path`, which is not `expected`. */
function mismatchCall(v: string, path: string, expected: string): string {
  return `mm(${literal(path)}, ${literal(expected)}, ${v})`;
}

/** The generated source of one serializer. */
class Generator extends SourceBuilder {
  /** An expression for the JSON of `v`, for the kinds that have one (scalars); else undefined. */
  expression(node: PlanNode, v: string, path: string): string | undefined {
    const fail = (expected: string) => mismatchCall(v, path, expected);
    switch (node.kind) {
      case 'string':
        return `(typeof ${v} === "string" ? str(${v}) : ${fail('a string')})`;
      case 'number':
        return `(typeof ${v} === "number" ? num(${v}) : ${fail('a number')})`;
      case 'boolean':
        return `(${v} === true ? "true" : ${v} === false ? "false" : ${fail('a boolean')})`;
      case 'bigint':
        return `(typeof ${v} === "bigint" ? '"' + ${v} + '"' : ${fail('a bigint')})`;
      case 'date':
        return `(${v} instanceof Date ? dj(${v}) : typeof ${v} === "string" ? str(${v}) : ${fail('a Date')})`;
      case 'null':
        return `(${v} === null ? "null" : ${fail('null')})`;
      case 'primitive':
        return `pj(${v}, ${literal(path)})`;
      case 'any':
        return `aj(${v})`;
      case 'validated':
        return `vj(${this.constant(node.schema)}, ${v}, ${literal(path)})`;
      case 'nullable': {
        const inner = this.expression(node.inner, v, path);
        return inner === undefined ? undefined : `(${v} === null ? "null" : ${inner})`;
      }
      default:
        return undefined;
    }
  }

  /** The parts writing the JSON of variable `v` (written by `node`). */
  parts(node: PlanNode, v: string, path: string): Part[] {
    switch (node.kind) {
      case 'string':
        // The quotes join the literals around the string, which is appended as is when it needs no
        // escaping: two concatenations fewer per string (bench "serialize DTO").
        return [
          { text: '"' },
          { json: `(typeof ${v} === "string" ? strc(${v}) : ${mismatchCall(v, path, 'a string')})` },
          { text: '"' },
        ];
      case 'default':
        return [
          { code: `if (${v} === undefined) ${v} = ${this.constant(node.value)}();`, writes: false },
          ...this.parts(node.inner, v, path),
        ];
      case 'object':
        return this.object(node.properties, v, path);
      case 'array':
        return this.array(node.item, v, path);
    }
    const expression = this.expression(node, v, path);
    if (expression !== undefined) return [{ json: expression }];
    return [{ code: this.statements(node, v, path), writes: true }];
  }

  /** Statements appending the JSON of variable `v` (written by `node`) to `s`. */
  value(node: PlanNode, v: string, path: string): string {
    return render(this.parts(node, v, path));
  }

  /** The statements of the kinds written by control flow: optional, nullable, tuple, record. */
  statements(node: PlanNode, v: string, path: string): string {
    switch (node.kind) {
      case 'optional':
        return `if (${v} === undefined) s += "null"; else { ${this.value(node.inner, v, path)} }`;
      case 'nullable':
        return `if (${v} === null) s += "null"; else { ${this.value(node.inner, v, path)} }`;
      case 'tuple':
        return this.tuple(node.items, v, path);
      case 'record':
        return this.record(node.value, v, path);
      default:
        throw new Error(`unreachable plan node ${node.kind}`);
    }
  }

  /**
   * An object's members. What is known at generation time is folded into literals: the `{`, and the
   * comma before a member once a required member was surely written (bench "serialize DTO").
   */
  object(properties: ReadonlyArray<readonly [string, PlanNode]>, v: string, path: string): Part[] {
    const comma = this.name('c');
    const parts: Part[] = [
      {
        code: `if (typeof ${v} !== "object" || ${v} === null) mm(${literal(path)}, "an object", ${v});`,
        writes: false,
      },
    ];
    // 'none': nothing written yet, surely; 'maybe': only optional members so far; 'some': surely one.
    let state: 'none' | 'maybe' | 'some' = 'none';
    let opened = false;
    for (const [key, node] of properties) {
      const member = this.name('v');
      const memberPath = `${path}/${pointerSegment(key)}`;
      const head = `${jsonString(key)}:`;
      parts.push({ code: `let ${member} = ${v}[${literal(key)}];`, writes: false });
      const absent = node.kind === 'validated' || mayBeAbsent(node);
      if (absent && !opened) {
        parts.push({ text: '{' }, { code: `let ${comma} = "";`, writes: false });
        opened = true;
      }
      const prefix: Part[] =
        state === 'some'
          ? [{ text: `,${head}` }]
          : state === 'none'
            ? [{ text: `${opened ? '' : '{'}${head}` }]
            : [{ json: comma }, { text: head }];
      const mark: Part[] = state === 'some' ? [] : [{ code: `${comma} = ",";`, writes: false }];
      if (node.kind === 'validated') {
        const json = this.name('j');
        parts.push(
          {
            code: `const ${json} = vm(${this.constant(node.schema)}, ${member}, ${literal(memberPath)});`,
            writes: false,
          },
          { code: `if (${json} !== undefined) { ${render([...prefix, { json }, ...mark])} }`, writes: true },
        );
      } else if (absent) {
        const write = render([...prefix, ...mark, ...this.parts(node, member, memberPath)]);
        parts.push({ code: `if (${member} !== undefined) { ${write} }`, writes: true });
      } else {
        // A required member: from here on the comma before the next member is certain.
        parts.push(...prefix, ...this.parts(node, member, memberPath));
        opened = true;
        state = 'some';
        continue;
      }
      if (state === 'none') state = 'maybe';
    }
    parts.push({ text: opened ? '}' : '{}' });
    return parts;
  }

  array(item: PlanNode, v: string, path: string): Part[] {
    const index = this.name('i');
    const element = this.name('e');
    const write =
      item.kind === 'object'
        ? `s += ${this.itemFunction(item, `${path}/*`)}(${element});`
        : this.value(item, element, `${path}/*`);
    return [
      { code: `if (!Array.isArray(${v})) mm(${literal(path)}, "an array", ${v});`, writes: false },
      { text: '[' },
      {
        code: `for (let ${index} = 0; ${index} < ${v}.length; ${index}++) { if (${index} !== 0) s += ","; let ${element} = ${v}[${index}]; ${write} }`,
        writes: true,
      },
      { text: ']' },
    ];
  }

  /** A function of its own for the objects of an array: small enough for V8 to inline (bench "serialize DTO"). */
  itemFunction(item: PlanNode, path: string): string {
    const name = this.name('f');
    this.functions.push(`function ${name}(v) { let s = ""; ${this.value(item, 'v', path)} return s; }`);
    return name;
  }

  tuple(items: readonly PlanNode[], v: string, path: string): string {
    let code = `if (!Array.isArray(${v})) mm(${literal(path)}, "an array", ${v}); s += "[";`;
    items.forEach((item, index) => {
      const element = this.name('e');
      code += `${index === 0 ? '' : 's += ",";'} let ${element} = ${v}[${index}]; ${this.value(item, element, `${path}/${index}`)}`;
    });
    return `${code} s += "]";`;
  }

  record(node: PlanNode, v: string, path: string): string {
    const key = this.name('r');
    const element = this.name('e');
    const comma = this.name('c');
    const memberPath = `${path}/*`;
    const write =
      node.kind === 'validated'
        ? `const j = vm(${this.constant(node.schema)}, ${element}, ${literal(memberPath)}); if (j === undefined) continue; s += ${comma} + str(${key}) + ":" + j;`
        : `if (${element} === undefined && ${mayBeAbsent(node)}) continue; s += ${comma} + str(${key}) + ":"; ${this.value(node, element, memberPath)}`;
    return `if (typeof ${v} !== "object" || ${v} === null) mm(${literal(path)}, "an object", ${v}); s += "{"; let ${comma} = "";
for (const ${key} in ${v}) { if (!Object.hasOwn(${v}, ${key})) continue; let ${element} = ${v}[${key}]; ${write} ${comma} = ","; }
s += "}";`;
  }
}

/** A function writing the JSON of a value by the plan, or `undefined` where code cannot be generated. */
export function compilePlan(plan: PlanNode): ((value: unknown) => string) | undefined {
  const generator = new Generator();
  const main = generator.value(plan, 'v', '');
  const body = `${generator.functions.join('\n')}\nreturn function serialize(value) { let s = ""; let v = value; ${main} return s; };`;
  try {
    const factory = new Function('k', 'str', 'strc', 'num', 'mm', 'aj', 'pj', 'vj', 'vm', 'dj', body);
    return factory(
      generator.constants,
      jsonString,
      jsonStringContent,
      jsonNumber,
      mismatch,
      anyJson,
      primitiveJson,
      validatedJson,
      validatedMember,
      dateJson,
    ) as (value: unknown) => string;
  } catch {
    // Code generation refused (a Content-Security-Policy, an edge runtime): the interpreter takes over.
    return undefined;
  }
}
