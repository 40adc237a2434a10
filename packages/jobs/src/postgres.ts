// @plinth/jobs/postgres: the PostgreSQL QueueDriver (postgres.js is an optional peer, imported by you).
export {
  type PostgresDriverOptions,
  type PostgresQueryable,
  type PostgresSql,
  postgresDriver,
} from './drivers/postgres.js';
