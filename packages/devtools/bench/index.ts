// Two costs a user pays: generating the OpenAPI document of a 200-route app (zod schemas with shared
// components, and plain JSON Schemas as Fastify routes carry), and the per-request overhead of the
// Server-Timing middleware on @plinth/http (in process, app.fetch). Interleaved rounds, medians of CPU time.
// Writes bench/results.json and the README table.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createApp, json } from '@plinth/http';
import { z } from 'zod';
import { generateOpenApi, type RouteInfo, serverTiming, timed } from '../src/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 400);

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// --- (a) document generation ---------------------------------------------------------------
function zodRoutes(count: number): RouteInfo[] {
  const Address = z.object({ street: z.string(), city: z.string(), zip: z.string() }).meta({ id: 'Address' });
  const routes: RouteInfo[] = [];
  for (let index = 0; index < count / 4; index++) {
    const Entity = z
      .object({
        id: z.uuid(),
        name: z.string().min(1),
        tags: z.array(z.string()),
        address: Address,
        createdAt: z.date(),
      })
      .meta({ id: `Entity${index}` });
    const base = `/resources${index}`;
    const params = z.object({ id: z.uuid() });
    routes.push(
      {
        method: 'GET',
        path: base,
        meta: {
          tags: [`r${index}`],
          schema: {
            querystring: z.object({ page: z.coerce.number().optional() }),
            response: { 200: z.array(Entity) },
          },
        },
      },
      {
        method: 'POST',
        path: base,
        meta: { schema: { body: Entity.omit({ id: true, createdAt: true }), response: { 201: Entity } } },
      },
      {
        method: 'GET',
        path: `${base}/:id`,
        meta: { schema: { params, response: { 200: Entity, 404: {} } } },
      },
      { method: 'DELETE', path: `${base}/:id`, meta: { schema: { params, response: { 204: {} } } } },
    );
  }
  return routes;
}

function jsonSchemaRoutes(count: number): RouteInfo[] {
  const entity = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['id', 'name'],
  };
  return Array.from({ length: count }, (_, index) => ({
    method: index % 2 === 0 ? 'GET' : 'PUT',
    path: `/items${Math.floor(index / 2)}/:id`,
    meta: {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        ...(index % 2 === 1 && { body: entity }),
        response: { 200: entity },
      },
    },
  }));
}

// CPU time (user + system) of this process per operation, not wall time: on a machine shared with
// other work, wall time mostly measures the neighbours.
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function measureSync(run: () => void): number {
  let operations = 0;
  const cpu = cpuMicros();
  const deadline = performance.now() + roundMs;
  while (performance.now() < deadline) {
    run();
    operations++;
  }
  return (cpuMicros() - cpu) / 1000 / operations; // CPU ms per operation
}

// --- (b) Server-Timing overhead ------------------------------------------------------------
function timingApps() {
  const noop = async (_ctx: unknown, next: () => Promise<Response>) => next();
  const bare = createApp();
  bare.use(noop, noop, noop);
  bare.get('/items/:id', (ctx) => json({ id: ctx.params.id }));
  const header = createApp();
  header.use(serverTiming({ header: true }), noop, noop, noop);
  header.get('/items/:id', (ctx) => json({ id: ctx.params.id }));
  const everyTimed = createApp();
  everyTimed.use(serverTiming({ header: true }), timed('a', noop), timed('b', noop), timed('c', noop));
  everyTimed.get('/items/:id', (ctx) => json({ id: ctx.params.id }));
  return {
    'no Server-Timing (3 middleware)': bare,
    'serverTiming()': header,
    'serverTiming() + 3 timed()': everyTimed,
  };
}

async function measureAsync(app: { fetch(request: Request): Promise<Response> }): Promise<number> {
  let operations = 0;
  const cpu = cpuMicros();
  const deadline = performance.now() + roundMs;
  while (performance.now() < deadline) {
    for (let batch = 0; batch < 50; batch++) {
      const response = await app.fetch(new Request('http://localhost/items/42'));
      await response.arrayBuffer();
    }
    operations += 50;
  }
  return (cpuMicros() - cpu) / operations; // CPU µs per request
}

const results: Result[] = [];
const documents = {
  'zod 4 schemas, 200 routes': zodRoutes(200),
  'plain JSON Schema, 200 routes': jsonSchemaRoutes(200),
};
const generation = new Map<string, number[]>(Object.keys(documents).map((name) => [name, []]));
const apps = timingApps();
const overhead = new Map<string, number[]>(Object.keys(apps).map((name) => [name, []]));
for (const routes of Object.values(documents)) measureSync(() => generateOpenApi(routes)); // warm-up
for (const app of Object.values(apps)) await measureAsync(app);
for (let index = 0; index < rounds; index++) {
  for (const [name, routes] of Object.entries(documents))
    generation.get(name)!.push(measureSync(() => generateOpenApi(routes)));
  const names = Object.keys(apps);
  // Interleaved in a rotating order, so drift on a shared machine hits every subject alike.
  for (let offset = 0; offset < names.length; offset++) {
    const name = names[(offset + index) % names.length]!;
    overhead.get(name)!.push(await measureAsync(apps[name as keyof typeof apps]));
  }
}
for (const [name, values] of generation) {
  results.push({
    case: 'generateOpenApi',
    subject: name,
    median: Math.round(median(values) * 100) / 100,
    unit: 'ms/doc',
  });
}
for (const [name, values] of overhead) {
  results.push({
    case: 'GET /items/:id on @plinth/http (app.fetch)',
    subject: name,
    median: Math.round(median(values) * 100) / 100,
    unit: 'µs/req',
  });
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

// Noise on a shared machine can make a difference negative: print its sign either way.
const signed = (value: number) => `${value < 0 ? '−' : '+'}${Math.abs(value)} µs`;
const bareCost = results.find((result) => result.subject.startsWith('no Server-Timing'))!.median;
const rows = results.map((result) => [
  result.case,
  result.subject,
  `${result.median} ${result.unit}`,
  result.unit === 'µs/req' ? signed(Math.round((result.median - bareCost) * 100) / 100) : '',
]);
const headers = ['case', 'subject', 'median', 'overhead'];
const widths = headers.map((header, column) =>
  Math.max(header.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work (load average ${loadavg()[0]!.toFixed(1)} when it ran); ${rounds} interleaved rounds of ${roundMs} ms, medians of CPU time per operation (process.cpuUsage). Overhead is against the same app without Server-Timing.`,
  '',
  line(headers),
  `| ${widths.map((width, column) => (column >= 2 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`,
  ...rows.map(line),
].join('\n');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
writeFileSync(
  readmeUrl,
  readme.replace(
    /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
    `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
  ),
);
console.log(table);
