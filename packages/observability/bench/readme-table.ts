// Writes the benchmark results into the README between the bench markers, as an aligned markdown table
// (aligned the way the repository's formatter prints tables, so a bench run leaves `biome check` green).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** One measured median. */
export interface Result {
  case: string;
  subject: string;
  median: number;
  unit: string;
}

/** The subject a request-logging subject is compared with: the same server with no middleware. */
export function baselineSubject(subject: string): string {
  if (subject.startsWith('fetch, no async hooks:')) return 'fetch, no async hooks: no middleware';
  return subject.startsWith('fetch:') ? 'fetch: no middleware' : 'bare';
}

/** The ratio column: lines/s against raw pino, req/s and CPU against bare, overheads against pino-http. */
export function ratioNote(result: Result, results: readonly Result[]): string {
  const reference = (subject: string) =>
    results.find((other) => other.case === result.case && other.subject === subject);
  const ratio = (subject: string, label: string) => {
    const base = reference(subject);
    return base === undefined ? '' : `${(result.median / base.median).toFixed(2)}× ${label}`;
  };
  if (result.unit === 'lines/s') return ratio('pino', 'pino');
  if (result.unit === 'req/s' || result.case === 'server CPU per request') {
    const baseline = baselineSubject(result.subject);
    return ratio(baseline, baseline === 'bare' ? 'bare' : 'no middleware');
  }
  return ratio('pino-http', "pino-http's");
}

function alignedTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  const separator = `| ${widths
    .map((width, column) => (rightAligned.has(column) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)))
    .join(' | ')} |`;
  return [line(header), separator, ...rows.map(line)];
}

/** Replaces the README's table between `<!-- bench:start -->` and `<!-- bench:end -->`. */
export function writeReadmeTable(results: readonly Result[], readmePath: string): void {
  const rows = results.map((result) => [
    result.case,
    result.subject,
    result.median.toLocaleString('en-US'),
    result.unit,
    ratioNote(result, results),
  ]);
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, a machine shared with other jobs.`,
    '',
    ...alignedTable(['case', 'subject', 'median', 'unit', 'ratio'], rows, new Set([2])),
  ].join('\n');
  const readme = readFileSync(readmePath, 'utf8');
  writeFileSync(
    readmePath,
    readme.replace(
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
      `<!-- bench:start -->\n${table}\n<!-- bench:end -->`,
    ),
  );
}
