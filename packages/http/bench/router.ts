// Router lookups/s on the GitHub-like table: @plinth/http's router vs find-my-way 9 vs Hono's
// RegExpRouter, interleaved rounds, median of each.
import findMyWay from 'find-my-way';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { createRouter } from '../src/router.js';
import { githubRoutes, lookupCases } from './github-routes.js';
import { median } from './median.js';

/** One lookup function per subject, each over the same table. */
export function buildRouters(): Record<string, (method: string, path: string) => unknown> {
  const plinth = createRouter<number>();
  const fmw = findMyWay();
  const hono = new RegExpRouter<number>();
  githubRoutes.forEach(([method, path], index) => {
    plinth.add(method, path, index);
    fmw.on(method as 'GET', path, () => {});
    hono.add(method, path, index);
  });
  return {
    '@plinth/http': (method, path) => plinth.find(method, path),
    'find-my-way 9': (method, path) => fmw.find(method as 'GET', path),
    'hono RegExpRouter': (method, path) => {
      const [matches] = hono.match(method, path);
      return matches.length === 0 ? null : matches;
    },
  };
}

let sink: unknown;

function measure(
  lookup: (method: string, path: string) => unknown,
  method: string,
  path: string,
  ms: number,
) {
  let operations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let index = 0; index < 10_000; index++) sink = lookup(method, path);
    operations += 10_000;
    elapsed = process.hrtime.bigint() - start;
  }
  return operations / (Number(elapsed) / 1e9);
}

/** Runs `rounds` interleaved rounds of every case and subject; returns medians in lookups/s. */
export function benchRouters(rounds = 7, ms = 250) {
  const routers = buildRouters();
  const subjects = Object.keys(routers);
  for (const { method, path } of lookupCases) {
    for (const subject of subjects) {
      const found = (routers[subject] as (m: string, p: string) => unknown)(method, path);
      if (path.endsWith('nope') !== (found === null)) throw new Error(`${subject} disagrees on ${path}`);
      measure(routers[subject] as (m: string, p: string) => unknown, method, path, 50);
    }
  }
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const { name, method, path } of lookupCases) {
      // Rotate the order each round so no subject always runs first (JIT, thermal state).
      const order = subjects.map((_, index) => subjects[(index + round) % subjects.length] as string);
      for (const subject of order) {
        const key = `${name}\0${subject}`;
        const value = measure(routers[subject] as (m: string, p: string) => unknown, method, path, ms);
        samples.set(key, [...(samples.get(key) ?? []), value]);
      }
    }
  }
  void sink;
  return [...samples].map(([key, values]) => {
    const [name, subject] = key.split('\0') as [string, string];
    return { case: `router: ${name}`, subject, median: Math.round(median(values)), unit: 'lookups/s' };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(benchRouters(3, 200));
}
