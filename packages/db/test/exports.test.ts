// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';

describe('public API', () => {
  it('exports exactly these names', () => {
    expect({ '.': Object.keys(root).sort() }).toMatchSnapshot();
  });

  it('lists every error code once, each in the README', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const unions = ['export type DbWireCode', 'export type DbUsageErrorCode'].map((start) =>
      source.slice(source.indexOf(start), source.indexOf(';', source.indexOf(start))),
    );
    const codes = unions.flatMap((union) => [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]));
    expect(codes.length).toBeGreaterThan(10);
    expect(new Set(codes).size).toBe(codes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, `README lists ${code}`).toContain(`\`${code}\``);
  });
});
