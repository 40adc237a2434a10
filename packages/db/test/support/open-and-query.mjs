// Opens the package's database at argv[2] (none: PGlite in memory), runs `select 1`, prints the driver.
import { createDatabase } from '../../src/index.ts';

try {
  const db = await createDatabase(process.argv[2] ? { url: process.argv[2] } : {});
  await db.ping({ timeout: 60_000 });
  process.stdout.write(`${db.driver}\n`);
  await db.close();
} catch (error) {
  process.stdout.write(`${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}
