// @plinth/auth benchmarks, one process, interleaved rounds, medians:
// - bearer verification through our fetch `authenticate` middleware vs raw jose `jwtVerify` with the key
//   imported once: a token seen for the first time, and the same token again (the verified-token cache);
// - an ABAC check vs CASL 7 `can()` with the same 20 conditional rules.
// Writes bench/results.json and the README table. BENCH_ROUNDS / BENCH_SCALE shorten a smoke run.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { AbilityBuilder, subject as caslSubject, createMongoAbility } from '@casl/ability';
import { jwtVerify } from 'jose';
import { authenticate } from '../src/adapters/fetch.js';
import { ref } from '../src/conditions.js';
import type { MiddlewareContext } from '../src/context.js';
import { generateSigningKey } from '../src/keys.js';
import { createPolicy, definePolicy } from '../src/policy.js';
import { createTokenSigner } from '../src/token-signer.js';
import { createTokenVerifier } from '../src/token-verifier.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const tokenOps = Math.round(2000 * scale);
const checkOps = Math.round(200_000 * scale);

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Runs each subject once per round, alternating which goes first; answers ops/s medians. */
async function interleave(
  subjects: Record<string, (round: number) => Promise<number> | number>,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(subjects).map((name) => [name, []]),
  );
  const names = Object.keys(subjects);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const started = performance.now();
      const ops = await (subjects[name] as (round: number) => Promise<number> | number)(round);
      samples[name]?.push(ops / ((performance.now() - started) / 1000));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, Math.round(median(values))]),
  );
}

const results: Result[] = [];
const record = (name: string, medians: Record<string, number>) => {
  for (const [subject, value] of Object.entries(medians))
    results.push({ case: name, subject, median: value, unit: 'ops/s' });
};

// --- bearer tokens -------------------------------------------------------------------------------
const issuer = 'https://auth.example';
const audience = 'api';
const key = await generateSigningKey('HS256', { kid: 'bench' });
const signer = createTokenSigner({ keys: [key], issuer, audience, expiresIn: 3600 });
const fresh: string[] = [];
for (let index = 0; index < rounds * tokenOps; index++)
  fresh.push(await signer.sign({ sub: `user-${index}`, roles: ['viewer'] }));
const middleware = authenticate({ bearer: createTokenVerifier({ keys: [key], issuer, audience }) });
const ok = new Response(null, { status: 204 });
const next = async () => ok;
// The host builds the context (its cost, not ours): contexts are made before the timed loops.
const signal = new AbortController().signal;
const contextOf = (token: string): MiddlewareContext => {
  const authorization = `Bearer ${token}`;
  return {
    method: 'GET',
    path: '/',
    header: (name) => (name === 'authorization' ? authorization : undefined),
    signal,
    get request(): Request {
      throw new Error('the middleware must not build the Request');
    },
    state: {},
  };
};
const freshContexts = fresh.map(contextOf);
const joseVerify = (token: string) =>
  jwtVerify(token, key.publicKey, { issuer, audience, algorithms: ['HS256'], requiredClaims: ['exp'] });

record(
  'bearer HS256, token seen for the first time',
  await interleave({
    '@plinth/auth authenticate()': async (round) => {
      for (let index = round * tokenOps; index < (round + 1) * tokenOps; index++) {
        if ((await middleware(freshContexts[index] as MiddlewareContext, next)).status !== 204)
          throw new Error('refused');
      }
      return tokenOps;
    },
    'jose jwtVerify (key imported once)': async (round) => {
      for (let index = round * tokenOps; index < (round + 1) * tokenOps; index++)
        await joseVerify(fresh[index] as string);
      return tokenOps;
    },
  }),
);

const again = fresh[0] as string;
const againContext = contextOf(again);
record(
  'bearer HS256, the same token again',
  await interleave({
    '@plinth/auth authenticate()': async () => {
      for (let index = 0; index < tokenOps * 10; index++) await middleware(againContext, next);
      return tokenOps * 10;
    },
    'jose jwtVerify (key imported once)': async () => {
      for (let index = 0; index < tokenOps * 10; index++) await joseVerify(again);
      return tokenOps * 10;
    },
  }),
);

// --- ABAC vs CASL: the same 20 conditional rules --------------------------------------------------
const user = { id: 'u7', roles: ['author'], attributes: { department: 'news' } };
const statuses = ['draft', 'review', 'published', 'archived'];
const ruleSpecs = Array.from({ length: 20 }, (_, index) => {
  switch (index % 4) {
    case 0:
      return { action: 'read', conditions: { authorId: 'SUBJECT_ID', status: statuses[index % 4] } };
    case 1:
      return { action: 'read', conditions: { status: { $in: ['published', `featured-${index}`] } } };
    case 2:
      return { action: 'update', conditions: { authorId: 'SUBJECT_ID', score: { $gte: index } } };
    default:
      return { action: 'read', conditions: { department: 'DEPARTMENT', score: { $lt: index } } };
  }
});
const ours = createPolicy(
  definePolicy(({ can }) => {
    for (const spec of ruleSpecs) {
      const conditions = Object.fromEntries(
        Object.entries(spec.conditions).map(([field, value]) => [
          field,
          value === 'SUBJECT_ID'
            ? ref('subject.id')
            : value === 'DEPARTMENT'
              ? ref('subject.department')
              : value,
        ]),
      );
      can(spec.action, 'Post', conditions);
    }
  }),
);
const { can: caslCan, build } = new AbilityBuilder(createMongoAbility);
for (const spec of ruleSpecs) {
  const conditions = Object.fromEntries(
    Object.entries(spec.conditions).map(([field, value]) => [
      field,
      value === 'SUBJECT_ID' ? user.id : value === 'DEPARTMENT' ? 'news' : value,
    ]),
  );
  caslCan(spec.action, 'Post', conditions);
}
const casl = build();
const posts = Array.from({ length: 100 }, (_, index) => ({
  authorId: index % 3 === 0 ? 'u7' : `u${index}`,
  status: statuses[index % statuses.length] as string,
  department: index % 5 === 0 ? 'news' : 'sport',
  score: index % 25,
}));
const caslPosts = posts.map((post) => caslSubject('Post', { ...post }));
for (let index = 0; index < posts.length; index++) {
  if (ours.can(user, 'read', 'Post', posts[index]) !== casl.can('read', caslPosts[index] as never))
    throw new Error(`disagree on post ${index}`);
}
let sink = 0;
record(
  'ABAC check, 20 conditional rules',
  await interleave({
    '@plinth/auth policy.can()': () => {
      for (let index = 0; index < checkOps; index++)
        if (ours.can(user, index & 1 ? 'read' : 'update', 'Post', posts[index % 100])) sink++;
      return checkOps;
    },
    '@casl/ability 7 can()': () => {
      for (let index = 0; index < checkOps; index++)
        if (casl.can(index & 1 ? 'read' : 'update', caslPosts[index % 100] as never)) sink++;
      return checkOps;
    },
  }),
);
if (sink === 0) throw new Error('no check allowed anything');

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const baseline = (result: Result) =>
  results.find((other) => other.case === result.case && !other.subject.startsWith('@plinth'));
const rows = results.map((result) => {
  const base = baseline(result);
  return [
    result.case,
    result.subject,
    `${result.median} ${result.unit}`,
    base ? `${(result.median / base.median).toFixed(2)}×` : '',
  ];
});

/** A markdown table padded the way biome formats one, so the README stays lint-clean. */
function markdownTable(header: string[], right: boolean[], body: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, 3, ...body.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)];
}
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work; ${rounds} interleaved rounds, medians; one verification at a time (no concurrency); request contexts built before timing (the host's cost). ${tokenOps} fresh tokens per round for "first time".`,
  '',
  ...markdownTable(['case', 'subject', 'median', 'vs baseline'], [false, false, true, true], rows),
].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start !== -1 && end > start)
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
console.log(table);
