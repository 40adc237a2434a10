// (a) Serializing a typical DTO (10 fields, a nested array of 20 objects): our compiled serializer vs
// fast-json-stringify (same schema as JSON Schema) vs JSON.stringify, in-process, interleaved rounds,
// CPU time per call.
import fastJson from 'fast-json-stringify';
import { createSerializer } from '../src/serializer.js';
import { median } from './median.js';
import { Order, orderJsonSchema, sampleOrder } from './payload.js';

type Row = { case: string; subject: string; median: number; unit: string };

export function benchSerialize(rounds = 7, iterations = 20_000): Row[] {
  const value = sampleOrder();
  const subjects: Array<[string, (input: typeof value) => string]> = [
    ['@plinth/validation (compiled)', createSerializer(Order) as (input: typeof value) => string],
    [
      '@plinth/validation (interpreted)',
      createSerializer(Order, { compile: false }) as (input: typeof value) => string,
    ],
    ['fast-json-stringify 7', fastJson(orderJsonSchema) as (input: typeof value) => string],
    ['JSON.stringify (no field filtering)', (input) => JSON.stringify(input)],
  ];
  // The same output from the filtering subjects, or the comparison means nothing.
  const [[, ours], , [, reference]] = subjects as [
    [string, (input: typeof value) => string],
    unknown,
    [string, (input: typeof value) => string],
  ];
  if (ours(value) !== reference(value)) throw new Error('serializers disagree on the benchmark DTO');
  const samples = new Map<string, number[]>();
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < subjects.length; index++) {
      const [name, write] = subjects[(index + round) % subjects.length] as (typeof subjects)[number];
      for (let warm = 0; warm < 2000; warm++) sink += write(value).length;
      // CPU time of this process, not wall time: steady on a machine shared with other work.
      const started = process.cpuUsage();
      for (let run = 0; run < iterations; run++) sink += write(value).length;
      const used = process.cpuUsage(started);
      const nanoseconds = ((used.user + used.system) * 1000) / iterations;
      samples.set(name, [...(samples.get(name) ?? []), nanoseconds]);
    }
  }
  if (sink === 0) throw new Error('unreachable');
  return [...samples].map(([subject, values]) => ({
    case: 'serialize DTO (10 fields + 20 lines)',
    subject,
    median: Math.round(median(values)),
    unit: 'ns',
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(benchSerialize(Number(process.env.BENCH_ROUNDS ?? 5)));
}
