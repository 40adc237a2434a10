// Opens the package's database at argv[2] (none: PGlite in memory, from the dumped empty data
// directory at PGLITE_DUMP when set, so no initdb runs), runs `select 1`, prints the driver.
import { readFileSync } from 'node:fs';
import { createDatabase } from '../../src/index.ts';

const dump = process.env.PGLITE_DUMP;
const options = process.argv[2]
  ? { url: process.argv[2] }
  : dump
    ? { pglite: { loadDataDir: new Blob([readFileSync(dump)]) } }
    : {};

try {
  const db = await createDatabase(options);
  await db.ping({ timeout: 60_000 });
  process.stdout.write(`${db.driver}\n`);
  await db.close();
} catch (error) {
  process.stdout.write(`${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}
