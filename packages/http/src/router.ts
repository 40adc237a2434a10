// The radix-tree router: one table per method, fully static paths in a hash map, the rest in a
// compressed prefix tree walked with backtracking so that static > parameter > wildcard at every level.
import { usageError } from './errors.js';
import { type PatternToken, parsePattern } from './pattern.js';
import { decodeParam, normalizePercent } from './percent-encoding.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Match static segments case-sensitively; `true` by default (find-my-way and Express 5 `strict` agree). */
  caseSensitive?: boolean;
  /** Let `/users/` match `/users` (and the reverse); `false` by default. */
  ignoreTrailingSlash?: boolean;
}

/** What {@link Router.find} returns for a matched path. */
export interface RouteMatch<T> {
  /** The value registered with the route. */
  value: T;
  /** Decoded parameter values by name; the wildcard is `*` unless it was named (`/*path`). */
  params: Record<string, string>;
  /** The pattern that matched, as registered (`/users/:id`). */
  pattern: string;
}

/** A method + path router that stores one value per route. */
export interface Router<T> {
  /** Registers `pattern` for `method`; throws `ERR_HTTP_ROUTE_CONFLICT` or `ERR_HTTP_INVALID_ROUTE`. */
  add(method: string, pattern: string, value: T): void;
  /**
   * Finds the route for a raw (still percent-encoded) path without its query; `HEAD` falls back to `GET`.
   * Throws a 400 `HttpError` when the path or a parameter has a malformed percent-encoding.
   */
  find(method: string, path: string): RouteMatch<T> | null;
  /** The methods that have a route for `path` (with `HEAD` wherever `GET` is), for `Allow`. */
  allowedMethods(path: string): string[];
}

interface Entry<T> {
  value: T;
  pattern: string;
  names: string[];
  method: string;
  createParams: (values: string[]) => Record<string, string>;
  /** Same, for paths without any `%`: nothing to decode (benchmark "router lookups"). */
  createRawParams: (values: string[]) => Record<string, string>;
}

/**
 * Builds the params object of one route. An object literal with fixed keys gets one hidden class
 * (find-my-way does the same); it took the 1- and 3-param lookups from below find-my-way to about
 * level with it (benchmark "router lookups", +10%). Names are validated identifiers ([A-Za-z0-9_$]), so the generated source holds no user
 * input; where code generation is forbidden (CSP, some edge runtimes) the loop is used instead.
 */
function paramsFactory(
  names: string[],
  decode: (value: string) => string,
): (values: string[]) => Record<string, string> {
  try {
    const fields = names.map((name, index) => `${JSON.stringify(name)}: decode(values[${index}])`).join(', ');
    const build = new Function('decode', `return function createParams(values) { return { ${fields} }; };`);
    return build(decode) as (values: string[]) => Record<string, string>;
  } catch {
    return (values) => {
      const params: Record<string, string> = {};
      for (let index = 0; index < names.length; index++) {
        params[names[index] as string] = decode(values[index] as string);
      }
      return params;
    };
  }
}

interface Node<T> {
  prefix: string;
  labels: number[];
  children: Node<T>[];
  param: Node<T> | null;
  wildcard: Entry<T> | null;
  entry: Entry<T> | null;
  /** On a parameter node: the route that put a non-"/" separator after it, for the ambiguity message. */
  separator: Entry<T> | null;
  isParam: boolean;
  byCode: Array<Node<T> | undefined>;
}

interface MethodTable<T> {
  statics: Map<string, Entry<T>>;
  root: Node<T>;
  shapes: Map<string, Entry<T>>;
}

function createNode<T>(prefix: string, isParam = false): Node<T> {
  return {
    prefix,
    labels: [],
    children: [],
    param: null,
    wildcard: null,
    entry: null,
    separator: null,
    isParam,
    byCode: [],
  };
}

function conflict(entry: Entry<unknown>, other: Entry<unknown>, why: string) {
  return usageError(
    'ERR_HTTP_ROUTE_CONFLICT',
    `Route ${entry.method} ${entry.pattern} conflicts with ${other.method} ${other.pattern}: ${why}`,
  );
}

function insertStatic<T>(parent: Node<T>, text: string): Node<T> {
  while (text !== '') {
    const label = text.charCodeAt(0);
    const index = parent.labels.indexOf(label);
    if (index === -1) {
      const child = createNode<T>(text);
      parent.labels.push(label);
      parent.children.push(child);
      parent.byCode[label] = child;
      return child;
    }
    const child = parent.children[index] as Node<T>;
    let common = 0;
    const max = Math.min(child.prefix.length, text.length);
    while (common < max && child.prefix.charCodeAt(common) === text.charCodeAt(common)) common++;
    if (common < child.prefix.length) {
      // Split: the child keeps the shared part, a new node takes over the rest and everything below.
      const tail = createNode<T>(child.prefix.slice(common), child.isParam);
      tail.labels = child.labels;
      tail.children = child.children;
      tail.param = child.param;
      tail.wildcard = child.wildcard;
      tail.entry = child.entry;
      tail.separator = child.separator;
      tail.byCode = child.byCode;
      child.prefix = child.prefix.slice(0, common);
      child.labels = [tail.prefix.charCodeAt(0)];
      child.children = [tail];
      child.byCode = [];
      child.byCode[tail.prefix.charCodeAt(0)] = tail;
      child.param = null;
      child.wildcard = null;
      child.entry = null;
      child.separator = null;
    }
    parent = child;
    text = text.slice(common);
  }
  return parent;
}

// Parameter values found so far, by depth: one buffer reused by every lookup (lookups never interleave),
// which keeps the benchmark "router lookups" free of a per-lookup array.
const values: string[] = [];

function lookup<T>(node: Node<T>, path: string, orig: string, pos: number, depth: number): Entry<T> | null {
  const length = path.length;
  if (pos === length) {
    if (node.entry !== null) return node.entry;
    if (node.wildcard !== null) {
      values[depth] = '';
      return node.wildcard;
    }
    return null;
  }
  // Children by first char code: one indexed load instead of a scan (benchmark "router lookups":
  // +15–20% on the parameter lookups).
  const child = node.byCode[path.charCodeAt(pos)];
  if (child !== undefined) {
    const prefix = child.prefix;
    if (prefix.length === 1 || path.startsWith(prefix, pos)) {
      const found = lookup(child, path, orig, pos + prefix.length, depth);
      if (found !== null) return found;
    }
  }
  const param = node.param;
  if (param !== null) {
    let end = path.indexOf('/', pos);
    if (end === -1) end = length;
    if (end > pos) {
      const paramLabels = param.labels;
      for (let index = 0; index < paramLabels.length; index++) {
        const label = paramLabels[index] as number;
        // A parameter ends at the next "/" or, inside a segment (`:from-:to`), at the first separator.
        let at: number;
        if (label === 47) at = end === length ? -1 : end;
        else {
          at = path.indexOf(String.fromCharCode(label), pos + 1);
          if (at >= end) at = -1;
        }
        if (at === -1) continue;
        const child = param.children[index] as Node<T>;
        if (!path.startsWith(child.prefix, at)) continue;
        values[depth] = orig.slice(pos, at);
        const found = lookup(child, path, orig, at + child.prefix.length, depth + 1);
        if (found !== null) return found;
      }
      if (end === length && param.entry !== null) {
        values[depth] = orig.slice(pos);
        return param.entry;
      }
    }
  }
  if (node.wildcard !== null) {
    values[depth] = orig.slice(pos);
    return node.wildcard;
  }
  return null;
}

function shapeOf(tokens: PatternToken[]): string {
  let shape = '';
  for (const token of tokens)
    shape += token.kind === 'static' ? token.text : token.kind === 'param' ? '\0:' : '\0*';
  return shape;
}

/**
 * Creates a router. Fully static routes answer from a hash map; the rest walk a radix tree.
 *
 * @example
 * const router = createRouter<string>();
 * router.add('GET', '/users/:id', 'user');
 * router.find('GET', '/users/42'); // { value: 'user', params: { id: '42' }, pattern: '/users/:id' }
 */
export function createRouter<T>(options: RouterOptions = {}): Router<T> {
  const caseSensitive = options.caseSensitive ?? true;
  const ignoreTrailingSlash = options.ignoreTrailingSlash ?? false;
  const tables: Record<string, MethodTable<T>> = Object.create(null);

  function normalizeTokens(tokens: PatternToken[]): PatternToken[] {
    const out = tokens.map((token) =>
      token.kind === 'static' && !caseSensitive
        ? { kind: 'static' as const, text: token.text.toLowerCase() }
        : token,
    );
    const last = out[out.length - 1];
    if (ignoreTrailingSlash && last?.kind === 'static' && last.text.length > 1 && last.text.endsWith('/')) {
      out[out.length - 1] = { kind: 'static', text: last.text.slice(0, -1) };
    } else if (ignoreTrailingSlash && last?.kind === 'static' && last.text === '/' && out.length > 1) {
      out.pop();
    }
    return out;
  }

  function insert(method: string, pattern: string, tokens: PatternToken[], value: T): void {
    let table = tables[method];
    if (table === undefined) {
      table = { statics: new Map(), root: createNode(''), shapes: new Map() };
      tables[method] = table;
    }
    const names: string[] = [];
    for (const token of tokens) if (token.kind !== 'static') names.push(token.name);
    const entry: Entry<T> = {
      value,
      pattern,
      names,
      method,
      createParams: paramsFactory(names, decodeParam),
      createRawParams: paramsFactory(names, (value) => value),
    };
    const shape = shapeOf(tokens);
    const existing = table.shapes.get(shape);
    if (existing !== undefined) {
      throw conflict(
        entry,
        existing,
        'both match exactly the same paths (parameter names, letter case or a trailing slash do not tell routes apart). Remove one or change its path.',
      );
    }
    if (tokens.length === 1 && tokens[0]?.kind === 'static') {
      table.shapes.set(shape, entry);
      table.statics.set(tokens[0].text, entry);
      return;
    }
    let node = table.root;
    for (const token of tokens) {
      if (token.kind === 'static') {
        if (node.isParam && token.text.charCodeAt(0) !== 47) {
          // `node` is a parameter node: two different in-segment separators after one parameter
          // (`/:a-:b` and `/:a.:b`) would both match `x-y.z`, so we refuse the second.
          const other = node.labels.find((label) => label !== 47 && label !== token.text.charCodeAt(0));
          if (other !== undefined && node.separator !== null) {
            throw conflict(
              entry,
              node.separator,
              `a parameter followed by "${token.text[0]}" and by "${String.fromCharCode(other)}" at the same place is ambiguous. Give the routes distinct static parts.`,
            );
          }
          node.separator ??= entry;
        }
        node = insertStatic(node, token.text);
      } else if (token.kind === 'param') {
        node.param ??= createNode('', true);
        node = node.param;
      } else {
        node.wildcard = entry;
        table.shapes.set(shape, entry);
        return;
      }
    }
    node.entry = entry;
    table.shapes.set(shape, entry);
  }

  function findIn(table: MethodTable<T>, key: string, path: string, raw: boolean): RouteMatch<T> | null {
    const fixed = table.statics.get(key);
    if (fixed !== undefined) return { value: fixed.value, params: {}, pattern: fixed.pattern };
    const entry = lookup(table.root, key, path, 0, 0);
    if (entry === null) return null;
    const params = raw ? entry.createRawParams(values) : entry.createParams(values);
    return { value: entry.value, params, pattern: entry.pattern };
  }

  function normalizePath(path: string): [key: string, path: string] {
    if (path.indexOf('%') !== -1) path = normalizePercent(path);
    if (ignoreTrailingSlash && path.length > 1 && path.charCodeAt(path.length - 1) === 47) {
      path = path.slice(0, -1);
    }
    if (caseSensitive) return [path, path];
    const lower = path.toLowerCase();
    // A few non-ASCII letters change length when lower-cased; match those paths as written.
    return [lower.length === path.length ? lower : path, path];
  }

  return {
    add(method, pattern, value) {
      const verb = String(method).toUpperCase();
      for (const tokens of parsePattern(pattern)) insert(verb, pattern, normalizeTokens(tokens), value);
    },
    find(method, path) {
      const table = tables[method];
      if (caseSensitive && !ignoreTrailingSlash && path.indexOf('%') === -1) {
        // Benchmark "router lookups" (bench/router.ts): the common path skips normalization entirely.
        const match = table === undefined ? null : findIn(table, path, path, true);
        if (match !== null || method !== 'HEAD') return match;
        const get = tables.GET;
        return get === undefined ? null : findIn(get, path, path, true);
      }
      const [key, normal] = normalizePath(path);
      const raw = normal.indexOf('%') === -1;
      const match = table === undefined ? null : findIn(table, key, normal, raw);
      if (match !== null || method !== 'HEAD') return match;
      const get = tables.GET;
      return get === undefined ? null : findIn(get, key, normal, raw);
    },
    allowedMethods(path) {
      const [key, normal] = normalizePath(path);
      const allowed: string[] = [];
      for (const method of Object.keys(tables)) {
        if (findIn(tables[method] as MethodTable<T>, key, normal, false) !== null) allowed.push(method);
      }
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      return allowed.sort();
    },
  };
}
