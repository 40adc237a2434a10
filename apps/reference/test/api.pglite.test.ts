// The API suite on PGlite in memory: the embedded default, migrated and seeded as on a first start.
import { apiSuite } from './support/api-suite.js';
import { pgliteDatabase } from './support/databases.js';

apiSuite('PGlite', pgliteDatabase);
