// The public surface of every entry point, and the error codes the README must list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as client from '../src/client.js';
import * as express from '../src/express.js';
import * as fastify from '../src/fastify.js';
import * as root from '../src/index.js';
import * as redis from '../src/redis.js';
import * as testing from '../src/testing.js';
import * as ws from '../src/ws.js';

describe('public API', () => {
  it('exports exactly these names from each entry point', () => {
    expect({
      '.': Object.keys(root).sort(),
      './ws': Object.keys(ws).sort(),
      './redis': Object.keys(redis).sort(),
      './express': Object.keys(express).sort(),
      './fastify': Object.keys(fastify).sort(),
      './client': Object.keys(client).sort(),
      './testing': Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });

  it('lists every error code once, each in the README', () => {
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    const start = source.indexOf('export type RealtimeErrorCode');
    const union = source.slice(start, source.indexOf(';', start));
    const codes = [...union.matchAll(/'(ERR_REALTIME_[A-Z_]+)'/g)].map((match) => match[1]);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, `README lists ${code}`).toContain(`\`${code}\``);
  });

  it('keeps the browser client free of node imports', () => {
    const source = readFileSync(new URL('../src/client.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export)\s[^;]*from\s/m);
    expect(source).not.toMatch(/\brequire\(/);
  });
});
