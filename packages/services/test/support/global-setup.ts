// Starts PGlite once (its initdb takes ~8 s here, 25 s under load) and dumps the empty data
// directory; every PGlite test database loads that dump (~2 s) instead of running initdb again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-services-pglite-'));
  const pg = await PGlite.create();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  const path = join(dir, 'empty.tar.gz');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', path);
  return () => rmSync(dir, { recursive: true, force: true });
}
