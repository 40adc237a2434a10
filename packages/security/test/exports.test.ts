// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as express from '../src/express.js';
import * as fastify from '../src/fastify.js';
import * as root from '../src/index.js';
import * as redis from '../src/redis.js';
import * as sanitize from '../src/sanitize.js';
import * as testing from '../src/testing.js';

const codesOf = (source: string, typeName: string, pattern: RegExp) => {
  const start = source.indexOf(`export type ${typeName}`);
  const union = source.slice(start, source.indexOf(';', start));
  return [...union.matchAll(pattern)].map((match) => match[1]!);
};

describe('public API', () => {
  it('exports exactly these names from each entry point', () => {
    expect({
      '.': Object.keys(root).sort(),
      './express': Object.keys(express).sort(),
      './fastify': Object.keys(fastify).sort(),
      './redis': Object.keys(redis).sort(),
      './sanitize': Object.keys(sanitize).sort(),
      './testing': Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });

  it('lists every error code and wire code once, each in the README', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const codes = [
      ...codesOf(source, 'SecurityErrorCode', /'(ERR_SECURITY_[A-Z_]+)'/g),
      ...codesOf(source, 'SecurityWireCode', /'([A-Z_]+)'/g),
    ];
    expect(codes.length).toBeGreaterThan(5);
    expect(new Set(codes).size).toBe(codes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, `README lists ${code}`).toContain(`\`${code}\``);
  });
});
