// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as drizzle from '../src/drizzle.js';
import * as root from '../src/index.js';
import * as testing from '../src/testing.js';

describe('public API', () => {
  it('exports exactly these names from each entry point', () => {
    expect({
      '.': Object.keys(root).sort(),
      './drizzle': Object.keys(drizzle).sort(),
      './testing': Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });

  it('lists every error code once, each in the README', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const start = source.indexOf('export type ServicesErrorCode');
    const union = source.slice(start, source.indexOf(';', start));
    const codes = [...union.matchAll(/'(ERR_SERVICES_[A-Z_]+)'/g)].map((match) => match[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, `README lists ${code}`).toContain(`\`${code}\``);
  });
});
