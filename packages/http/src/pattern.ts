// Route patterns: the path syntax of find-my-way and Express 5, parsed by hand into tokens. No regular
// expression is ever built from a pattern, so no route can be a ReDoS.
import { usageError } from './errors.js';
import { encodePatternText } from './percent-encoding.js';

/** One piece of a parsed route pattern. */
export type PatternToken =
  | { kind: 'static'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'wildcard'; name: string };

function isNameChar(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36
  );
}

function invalid(pattern: string, why: string) {
  return usageError('ERR_HTTP_INVALID_ROUTE', `Invalid route "${pattern}": ${why}`);
}

/**
 * Parses a pattern into one or two token lists (two when it ends in an optional `/:name?`).
 * Syntax: `/static`, `/:name`, `/:from-:to`, `/:name.:ext`, a tail `/*` or `/*name`, `::` for a
 * literal colon. Throws `ERR_HTTP_INVALID_ROUTE` for anything else, saying what to write instead.
 */
export function parsePattern(pattern: string): PatternToken[][] {
  if (typeof pattern !== 'string' || pattern.charCodeAt(0) !== 47) {
    throw invalid(String(pattern), 'a route path must start with "/".');
  }
  const tokens: PatternToken[] = [];
  const names = new Set<string>();
  let text = '';
  let optional = false;
  const flush = () => {
    if (text === '') return;
    try {
      tokens.push({ kind: 'static', text: encodePatternText(text) });
    } catch {
      throw invalid(pattern, 'it contains characters that cannot be percent-encoded.');
    }
    text = '';
  };
  const addName = (name: string) => {
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') {
      throw invalid(pattern, `"${name}" cannot be a parameter name; choose another.`);
    }
    if (names.has(name)) throw invalid(pattern, `the parameter name "${name}" is used twice.`);
    names.add(name);
  };
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (optional) throw invalid(pattern, 'an optional parameter (":name?") must be the last part.');
    if (char === ':' && pattern[index + 1] === ':') {
      text += ':';
      index++;
      continue;
    }
    if (char === ':') {
      let end = index + 1;
      while (end < pattern.length && isNameChar(pattern.charCodeAt(end))) end++;
      const name = pattern.slice(index + 1, end);
      if (name === '') throw invalid(pattern, 'a ":" must be followed by a parameter name ([A-Za-z0-9_$]).');
      const previous = tokens[tokens.length - 1];
      if (text === '' && previous !== undefined && previous.kind !== 'static') {
        throw invalid(
          pattern,
          `":${name}" directly follows another parameter; put a separator between them.`,
        );
      }
      if (pattern[end] === '(') {
        throw invalid(
          pattern,
          'regular-expression parameters are not supported (they risk ReDoS); validate the value in the handler.',
        );
      }
      if (pattern[end] === '?') {
        if (!text.endsWith('/') || end + 1 !== pattern.length) {
          throw invalid(pattern, 'only a last, whole segment can be optional ("/:name?").');
        }
        optional = true;
        end++;
      }
      flush();
      addName(name);
      tokens.push({ kind: 'param', name });
      index = end - 1;
      continue;
    }
    if (char === '*') {
      let end = index + 1;
      while (end < pattern.length && isNameChar(pattern.charCodeAt(end))) end++;
      if (end !== pattern.length) throw invalid(pattern, 'a wildcard "*" must be the last part of the path.');
      const previous = tokens[tokens.length - 1];
      if (text === '' && previous !== undefined && previous.kind !== 'static') {
        throw invalid(pattern, 'a wildcard cannot directly follow a parameter; put a "/" between them.');
      }
      const name = end === index + 1 ? '*' : pattern.slice(index + 1, end);
      flush();
      addName(name);
      tokens.push({ kind: 'wildcard', name });
      break;
    }
    if (char === '(' || char === ')') {
      throw invalid(pattern, 'parentheses (regular expressions) are not supported; they risk ReDoS.');
    }
    if (char === '{' || char === '}') {
      throw invalid(
        pattern,
        'optional groups "{...}" are not supported; use "/:name?" or register two routes.',
      );
    }
    if (char === '?' || char === '#') {
      throw invalid(pattern, `"${char}" is not allowed in a path; query strings are read with ctx.query.`);
    }
    text += char;
  }
  flush();
  if (!optional) return [tokens];
  // `/a/:b?` is `/a/:b` and `/a` (find-my-way's rule): drop the param and the slash before it.
  const without = tokens.slice(0, -1);
  const last = without[without.length - 1];
  if (last?.kind === 'static') {
    const trimmed = last.text.slice(0, -1);
    if (trimmed === '' && without.length > 1) without.pop();
    else without[without.length - 1] = { kind: 'static', text: trimmed === '' ? '/' : trimmed };
  }
  return [tokens, without];
}
