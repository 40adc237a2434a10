// The migration folder drizzle-kit writes: `0000_name.sql`, `0001_name.sql` ... (statements split
// by `--> statement-breakpoint`) and `meta/_journal.json`. Read, checked for gaps, checksummed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DbError } from './errors.js';

/** One migration file. */
export interface MigrationFile {
  /** Its number, from the file name: 0 for `0000_init.sql`. */
  index: number;
  /** The file name without `.sql`: `0000_init`. */
  name: string;
  /** SHA-256 of the file (line endings normalised to LF), hex. */
  checksum: string;
  /** The statements, in order. */
  statements: string[];
}

const filePattern = /^(\d+)_([^/\\]+)\.sql$/;
const breakpoint = /-->\s*statement-breakpoint/;

/** The checksum of a migration's text: SHA-256 over the text with CRLF read as LF (git's autocrlf). */
export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** The journal's tags, when drizzle-kit wrote `meta/_journal.json`. */
function journalTags(folder: string): string[] | undefined {
  const path = join(folder, 'meta', '_journal.json');
  if (!existsSync(path)) return undefined;
  try {
    const journal = JSON.parse(readFileSync(path, 'utf8')) as { entries?: Array<{ tag?: unknown }> };
    return (journal.entries ?? []).map((entry) => String(entry.tag));
  } catch (error) {
    throw new DbError(
      'ERR_DB_MIGRATION_GAP',
      `${path} is not valid JSON; restore it from version control (drizzle-kit writes it).`,
      { cause: error },
    );
  }
}

function assertNoGap(folder: string, files: Array<{ index: number; name: string }>): void {
  files.forEach((file, position) => {
    if (file.index === position) return;
    const previous = files[position - 1];
    const reason =
      previous && previous.index === file.index
        ? `two migrations have number ${file.name.split('_')[0]}: ${previous.name}.sql and ${file.name}.sql`
        : `migration number ${String(position).padStart(4, '0')} is missing before ${file.name}.sql`;
    throw new DbError(
      'ERR_DB_MIGRATION_GAP',
      `The migration folder ${folder} has a gap: ${reason}. Restore the missing file, or renumber the unapplied ones (and meta/_journal.json) so they follow on.`,
    );
  });
}

function assertJournalMatches(folder: string, files: MigrationFile[]): void {
  const tags = journalTags(folder);
  if (!tags) return;
  const names = new Set(files.map((file) => file.name));
  const missing = tags.find((tag) => !names.has(tag));
  if (missing) {
    throw new DbError(
      'ERR_DB_MIGRATION_GAP',
      `meta/_journal.json in ${folder} lists ${missing} but ${missing}.sql is missing; restore the file from version control.`,
    );
  }
  const listed = new Set(tags);
  const extra = files.find((file) => !listed.has(file.name));
  if (extra) {
    throw new DbError(
      'ERR_DB_MIGRATION_GAP',
      `${extra.name}.sql in ${folder} is not in meta/_journal.json; create migrations with \`plinth-db create <name>\` (or drizzle-kit generate) so the journal lists them.`,
    );
  }
}

/** Reads the migrations of `folder`, in order; throws ERR_DB_MIGRATION_GAP on a gap or a stray file. */
export function readMigrationFiles(folder: string): MigrationFile[] {
  const dir = resolve(folder);
  if (!existsSync(dir)) {
    throw new DbError(
      'ERR_DB_MIGRATION_MISSING',
      `The migration folder ${dir} does not exist; generate migrations with \`plinth-db create <name>\` or point \`folder\` at drizzle-kit's "out" folder.`,
    );
  }
  const files = readdirSync(dir)
    .map((entry) => filePattern.exec(entry))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const text = readFileSync(join(dir, match[0]), 'utf8');
      return {
        index: Number(match[1]),
        name: match[0].slice(0, -'.sql'.length),
        checksum: checksumOf(text),
        statements: text
          .split(breakpoint)
          .map((statement) => statement.trim())
          .filter((statement) => statement !== ''),
      };
    })
    .sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
  assertNoGap(dir, files);
  assertJournalMatches(dir, files);
  return files;
}
