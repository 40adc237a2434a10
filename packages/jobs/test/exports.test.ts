// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as postgres from '../src/postgres.js';
import * as redis from '../src/redis.js';
import * as testing from '../src/testing.js';

describe('public API', () => {
  it('exports exactly these names from each entry point', () => {
    expect({
      '.': Object.keys(root).sort(),
      './redis': Object.keys(redis).sort(),
      './postgres': Object.keys(postgres).sort(),
      './testing': Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });

  it('lists every error code once, each in the README', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const start = source.indexOf('export type JobsErrorCode');
    const union = source.slice(start, source.indexOf(';', start));
    const codes = [...union.matchAll(/'(ERR_JOBS_[A-Z_]+)'/g)].map((match) => match[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, `README lists ${code}`).toContain(`\`${code}\``);
  });
});
