// The serializer plan compiled into one specialised function (the fast-json-stringify technique):
// property reads and JSON key literals are inlined. The generated source holds only what the schema
// declares, every key passed through JSON.stringify twice (a JSON key, then a JS string literal);
// values are never part of it. Benchmark "serialize DTO" is why this exists.
import { literal, SourceBuilder } from './code-generator.js';
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
import { mayBeAbsent, pointerSegment } from './serializer-write.js';

/** The generated source of one serializer. */
class Generator extends SourceBuilder {
  /** An expression for the JSON of `v`, for the kinds that have one (scalars); else undefined. */
  expression(node: PlanNode, v: string, path: string): string | undefined {
    const fail = (expected: string) => `mm(${literal(path)}, ${literal(expected)}, ${v})`;
    switch (node.kind) {
      case 'string':
        return `(typeof ${v} === "string" ? str(${v}) : ${fail('a string')})`;
      case 'number':
        return `(typeof ${v} === "number" ? (Number.isFinite(${v}) ? "" + ${v} : "null") : ${fail('a number')})`;
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

  /** Statements appending the JSON of variable `v` (written by `node`) to `s`. */
  value(node: PlanNode, v: string, path: string): string {
    const expression = this.expression(node, v, path);
    if (expression !== undefined) return `s += ${expression};`;
    switch (node.kind) {
      case 'optional':
        return `if (${v} === undefined) s += "null"; else { ${this.value(node.inner, v, path)} }`;
      case 'nullable':
        return `if (${v} === null) s += "null"; else { ${this.value(node.inner, v, path)} }`;
      case 'default':
        return `if (${v} === undefined) ${v} = ${this.constant(node.value)}(); ${this.value(node.inner, v, path)}`;
      case 'object':
        return this.object(node.properties, v, path);
      case 'array':
        return this.array(node.item, v, path);
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
  object(properties: ReadonlyArray<readonly [string, PlanNode]>, v: string, path: string): string {
    const comma = this.name('c');
    let code = `if (typeof ${v} !== "object" || ${v} === null) mm(${literal(path)}, "an object", ${v});`;
    // 'none': nothing written yet, surely; 'maybe': only optional members so far; 'some': surely one.
    let state: 'none' | 'maybe' | 'some' = 'none';
    let opened = false;
    for (const [key, node] of properties) {
      const member = this.name('v');
      const memberPath = `${path}/${pointerSegment(key)}`;
      const head = `${jsonString(key)}:`;
      code += `let ${member} = ${v}[${literal(key)}];`;
      const absent = node.kind === 'validated' || mayBeAbsent(node);
      if (absent && !opened) {
        code += `s += "{"; let ${comma} = "";`;
        opened = true;
      }
      const open = opened ? '' : '{';
      const prefix =
        state === 'some'
          ? literal(`,${head}`)
          : state === 'none'
            ? literal(`${open}${head}`)
            : `${comma} + ${literal(head)}`;
      const mark = state === 'some' ? '' : `${comma} = ",";`;
      if (node.kind === 'validated') {
        const json = this.name('j');
        code += `const ${json} = vm(${this.constant(node.schema)}, ${member}, ${literal(memberPath)});`;
        code += `if (${json} !== undefined) { s += ${prefix} + ${json}; ${mark} }`;
      } else if (absent) {
        code += `if (${member} !== undefined) { s += ${prefix}; ${mark} ${this.value(node, member, memberPath)} }`;
      } else {
        // The first member written for sure declares the comma rather than setting it.
        const set = opened ? mark : `let ${comma} = ",";`;
        const expression = this.expression(node, member, memberPath);
        code +=
          expression === undefined
            ? `s += ${prefix}; ${set} ${this.value(node, member, memberPath)}`
            : `s += ${prefix} + ${expression}; ${set}`;
        opened = true;
        state = 'some';
        continue;
      }
      if (state === 'none') state = 'maybe';
    }
    return `${code} s += ${literal(opened ? '}' : '{}')};`;
  }

  array(item: PlanNode, v: string, path: string): string {
    const index = this.name('i');
    const element = this.name('e');
    const write =
      item.kind === 'object'
        ? `s += ${this.itemFunction(item, `${path}/*`)}(${element});`
        : this.value(item, element, `${path}/*`);
    return `if (!Array.isArray(${v})) mm(${literal(path)}, "an array", ${v}); s += "[";
for (let ${index} = 0; ${index} < ${v}.length; ${index}++) { if (${index} !== 0) s += ","; let ${element} = ${v}[${index}]; ${write} }
s += "]";`;
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
    const factory = new Function('k', 'str', 'mm', 'aj', 'pj', 'vj', 'vm', 'dj', body);
    return factory(
      generator.constants,
      jsonString,
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
