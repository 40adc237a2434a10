// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as drizzle from '../src/drizzle.js';
import { AuthError, type AuthErrorReason } from '../src/errors.js';
import * as express from '../src/express.js';
import * as fastify from '../src/fastify.js';
import * as root from '../src/index.js';
import * as oidc from '../src/oidc.js';
import * as redis from '../src/redis.js';
import * as testing from '../src/testing.js';

describe('public API', () => {
  it('exports exactly these names from each entry point', () => {
    expect({
      '.': Object.keys(root).sort(),
      './express': Object.keys(express).sort(),
      './fastify': Object.keys(fastify).sort(),
      './redis': Object.keys(redis).sort(),
      './drizzle': Object.keys(drizzle).sort(),
      './oidc': Object.keys(oidc).sort(),
      './testing': Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });

  it('lists every error reason once, each in the README with its wire code', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const start = source.indexOf('export type AuthErrorReason');
    const union = source.slice(start, source.indexOf(';', start));
    const reasons = [...union.matchAll(/'(ERR_AUTH_[A-Z_]+)'/g)].map((match) => match[1] as string);
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons).size).toBe(reasons.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('|'));
    for (const reason of reasons) {
      // A client failure's row names its wire code next to its reason; 5xx reasons are never sent.
      const error = new AuthError(reason as AuthErrorReason, 'a client failure', { status: 401 });
      const code = error.code;
      if (code !== reason) expect(code.startsWith('ERR_')).toBe(false);
      expect(new AuthError(reason as AuthErrorReason, 'a server error').code).toBe(reason);
      const row = rows.find((line) => line.includes(`\`${reason}\``) && line.includes(`\`${code}\``));
      expect(row, `README lists ${reason} as ${code}`).toBeDefined();
    }
  });
});
