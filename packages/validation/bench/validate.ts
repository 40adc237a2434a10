// Validating the order body in-process: a route validator of this package (zod's schema compiled into a
// check), zod 4 through `~standard.validate` (what the check leaves to zod) vs ajv 8 with Fastify's settings, CPU time per call, interleaved rounds. Not a goal of its own: it
// shows how much of a validated request validation is (README, "where the time goes").
import { Ajv } from 'ajv';
import { createRouteValidator } from '../src/route-validator.js';
import { median } from './median.js';
import { Order, orderJsonSchema, sampleOrder } from './payload.js';

type Row = { case: string; subject: string; median: number; unit: string };

export function benchValidate(rounds = 7, iterations = 20_000): Row[] {
  const { passwordHash: _never, ...order } = sampleOrder();
  const text = JSON.stringify(order);
  // Fastify's ajv defaults: coerceTypes 'array', useDefaults, removeAdditional, allErrors false.
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: true, allErrors: false });
  const check = ajv.compile(orderJsonSchema);
  const standard = Order['~standard'];
  // What a route pays: the compiled check of the zod schema (schema-check.ts), zod when it is unsure.
  const route = createRouteValidator({ body: Order });
  const subjects: Array<[string, (value: unknown) => unknown]> = [
    ['@plinth/validation (zod, compiled check)', (value) => route.validate({ body: value })],
    ['zod 4 (~standard.validate)', (value) => standard.validate(value)],
    ['ajv 8 (Fastify settings)', (value) => check(value)],
  ];
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < subjects.length; index++) {
      const [name, run] = subjects[(index + round) % subjects.length] as (typeof subjects)[number];
      // A fresh parsed value per call batch, as a request would have (ajv may mutate it).
      const values = Array.from({ length: 100 }, () => JSON.parse(text));
      for (let warm = 0; warm < 2000; warm++) run(values[warm % 100]);
      const started = process.cpuUsage();
      for (let call = 0; call < iterations; call++) run(values[call % 100]);
      const used = process.cpuUsage(started);
      samples.set(name, [...(samples.get(name) ?? []), ((used.user + used.system) * 1000) / iterations]);
    }
  }
  return [...samples].map(([subject, values]) => ({
    case: 'validate order body (in-process)',
    subject,
    median: Math.round(median(values)),
    unit: 'ns',
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(benchValidate(Number(process.env.BENCH_ROUNDS ?? 5)));
}
