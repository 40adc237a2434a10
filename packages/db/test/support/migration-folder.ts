// Temporary migration folders written from a list of SQL texts, removed after the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A folder holding `files` (name → SQL text). */
export function migrationFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'plinth-db-migrations-'));
  folders.push(folder);
  writeMigrations(folder, files);
  return folder;
}

/** Writes (or overwrites) `files` in `folder`. */
export function writeMigrations(folder: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
}
