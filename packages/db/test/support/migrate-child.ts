// One deploy: opens the database at argv[2], runs migrate() on the folder argv[3], prints the result.
import { createDatabase, migrate } from '../../src/index.js';

const [url, folder] = process.argv.slice(2);
const db = await createDatabase({ url: url!, max: 2 });
try {
  // Start together: every child waits for the same wall-clock instant.
  const startAt = Number(process.env.START_AT ?? 0);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const result = await migrate(db, { folder: folder!, lockTimeout: 30_000 });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await db.close();
}
