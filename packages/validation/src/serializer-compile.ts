// The serializer plan compiled into one specialised function (the fast-json-stringify technique):
// property reads and JSON key literals are inlined. The generated source holds only what the schema
// declares, every key passed through JSON.stringify twice (a JSON key, then a JS string literal);
// values are never part of it. Benchmark "serialize DTO" is why this exists.
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

/** A JS string literal of `text`. */
const literal = (text: string): string => JSON.stringify(text);

class Generator {
  readonly constants: unknown[] = [];
  #counter = 0;

  name(prefix: string): string {
    return `${prefix}${this.#counter++}`;
  }

  constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }

  /** Statements appending the JSON of variable `v` (written by `node`) to `s`. */
  value(node: PlanNode, v: string, path: string): string {
    const fail = (expected: string) => `mm(${literal(path)}, ${literal(expected)}, ${v});`;
    switch (node.kind) {
      case 'string':
        return `if (typeof ${v} === "string") s += str(${v}); else ${fail('a string')}`;
      case 'number':
        return `if (typeof ${v} === "number") s += Number.isFinite(${v}) ? "" + ${v} : "null"; else ${fail('a number')}`;
      case 'boolean':
        return `if (${v} === true) s += "true"; else if (${v} === false) s += "false"; else ${fail('a boolean')}`;
      case 'bigint':
        return `if (typeof ${v} === "bigint") s += '"' + ${v} + '"'; else ${fail('a bigint')}`;
      case 'date':
        return `if (${v} instanceof Date) s += dj(${v}); else if (typeof ${v} === "string") s += str(${v}); else ${fail('a Date')}`;
      case 'null':
        return `if (${v} === null) s += "null"; else ${fail('null')}`;
      case 'primitive':
        return `s += pj(${v}, ${literal(path)});`;
      case 'any':
        return `s += aj(${v});`;
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
      case 'validated':
        return `s += vj(${this.constant(node.schema)}, ${v}, ${literal(path)});`;
    }
  }

  object(properties: ReadonlyArray<readonly [string, PlanNode]>, v: string, path: string): string {
    const comma = this.name('c');
    let code = `if (typeof ${v} !== "object" || ${v} === null) mm(${literal(path)}, "an object", ${v}); s += "{"; let ${comma} = "";`;
    // Whether a member was surely written before this one: then the comma is a constant.
    let written = false;
    for (const [key, node] of properties) {
      const member = this.name('v');
      const memberPath = `${path}/${pointerSegment(key)}`;
      const head = jsonString(key);
      const prefix = written ? literal(`,${head}:`) : `${comma} + ${literal(`${head}:`)}`;
      const mark = written ? '' : `${comma} = ",";`;
      code += `let ${member} = ${v}[${literal(key)}];`;
      if (node.kind === 'validated') {
        const json = this.name('j');
        code += `const ${json} = vm(${this.constant(node.schema)}, ${member}, ${literal(memberPath)});`;
        code += `if (${json} !== undefined) { s += ${prefix} + ${json}; ${mark} }`;
      } else if (mayBeAbsent(node)) {
        code += `if (${member} !== undefined) { s += ${prefix}; ${mark} ${this.value(node, member, memberPath)} }`;
      } else {
        code += `s += ${prefix}; ${mark} ${this.value(node, member, memberPath)}`;
        written = true;
      }
    }
    return `${code} s += "}";`;
  }

  array(item: PlanNode, v: string, path: string): string {
    const index = this.name('i');
    const element = this.name('e');
    return `if (!Array.isArray(${v})) mm(${literal(path)}, "an array", ${v}); s += "[";
for (let ${index} = 0; ${index} < ${v}.length; ${index}++) { if (${index} !== 0) s += ","; let ${element} = ${v}[${index}]; ${this.value(item, element, `${path}/*`)} }
s += "]";`;
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
  const body = `return function serialize(value) { let s = ""; let v = value; ${generator.value(plan, 'v', '')} return s; };`;
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
