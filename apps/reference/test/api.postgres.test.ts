// The API suite on PostgreSQL at DATABASE_URL, in a database of this file's own, dropped after it.
// Skipped with a notice when no server answers; under CI=true that fails, naming the server.
import { apiSuite } from './support/api-suite.js';
import { postgresAvailable, postgresDatabase } from './support/databases.js';

apiSuite('PostgreSQL', async () => ((await postgresAvailable()) ? postgresDatabase('api') : undefined));
