// Benchmarks of @plinth/handlers: (1) resolve a scoped graph of 10 services per request against
// awilix, tsyringe, typed-inject and plain `new`; (2) the per-request cost of a handler definition
// over a bare @plinth/http route. Interleaved rounds, medians. Writes bench/results.json and the
// README table. BENCH_ROUNDS / BENCH_ROUND_MS shorten a smoke run.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { containerSubjects } from './container.js';
import { handlerSubjects } from './handler.js';
import { measure, measureAsync } from './measure.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1000);

interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

const results: Result[] = [];
const graphCase = 'new scope + 10 scoped services + 1 singleton';
for (const { subject, median } of measure(containerSubjects(), rounds, roundMs)) {
  results.push({ case: graphCase, subject, median: Math.round(median), unit: 'resolutions/s' });
}
const requestCase = 'GET /users/:id via app.fetch()';
for (const { subject, median } of await measureAsync(await handlerSubjects(), rounds, roundMs)) {
  results.push({ case: requestCase, subject, median: Math.round(median), unit: 'req/s' });
}

writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

function baseline(result: Result): string {
  const reference = results.find(
    (other) =>
      other.case === result.case &&
      (other.subject === 'awilix 13' || other.subject === 'bare @plinth/http route'),
  );
  if (reference === undefined) return '';
  if (result.case === requestCase) {
    const extra = 1e6 / result.median - 1e6 / reference.median;
    return result === reference ? '' : `${extra < 0 ? '-' : '+'}${Math.abs(extra).toFixed(2)} µs`;
  }
  return `${(result.median / reference.median).toFixed(2)}×`;
}

const rows = results.map((result) => [
  result.case,
  result.subject,
  `${result.median.toLocaleString('en-US')} ${result.unit}`,
  baseline(result),
]);
const header = ['case', 'subject', 'median', 'vs awilix / extra per request'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join(' | ')} |`;
const table = [
  `Node ${process.version}, ${cpus().length} cores shared with other work; ${rounds} interleaved rounds of ${roundMs} ms, medians. Resolutions: one new request scope and the top of a chain of ten scoped services, each taking the previous one and a singleton. Requests: in-process \`app.fetch()\`, one at a time.`,
  '',
  line(header),
  `| ${widths.map((width, column) => (column >= 2 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`,
  ...rows.map(line),
].join('\n');

const readmeUrl = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- bench:start -->');
const end = readme.indexOf('<!-- bench:end -->');
if (start !== -1 && end !== -1) {
  writeFileSync(readmeUrl, `${readme.slice(0, start)}<!-- bench:start -->\n${table}\n${readme.slice(end)}`);
}
console.log(table);
