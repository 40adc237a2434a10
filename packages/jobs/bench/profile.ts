// Where the time of "process N no-op jobs" goes, for one contender of bench/subjects.ts: jobs/s, this
// process's CPU, the Redis server's CPU (INFO cpu), PostgreSQL's (its processes in /proc: Linux only)
// and PostgreSQL WAL bytes per job. Run under the bench lock, like the bench:
//   flock /tmp/bench.lock node --import tsx bench/profile.ts plinth-redis
// Add --cpu-prof for a client profile; BENCH_JOBS (20000), ROUNDS (2); AUTO_EXPLAIN_MS=5 logs the plans
// of PostgreSQL statements slower than that to the server's log (auto_explain, superuser only).
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { subjects } from './subjects.js';

const name = process.argv[2] ?? 'plinth-redis';
const jobs = Number(process.env.BENCH_JOBS ?? 20_000);
const rounds = Number(process.env.ROUNDS ?? 2);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const explainMs = process.env.AUTO_EXPLAIN_MS;

const redis = new Redis(redisUrl);
const sql = postgres(databaseUrl, {
  max: 10,
  onnotice: () => undefined,
  ...(explainMs
    ? {
        connection: {
          session_preload_libraries: 'auto_explain',
          'auto_explain.log_min_duration': explainMs,
          'auto_explain.log_analyze': 'on',
          'auto_explain.log_buffers': 'on',
          'auto_explain.log_nested_statements': 'on',
        },
      }
    : {}),
});

/** CPU ms of the Redis server. */
async function redisCpu(): Promise<number> {
  const info = await redis.info('cpu');
  const sys = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
  const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
  return (Number(sys) + Number(user)) * 1000;
}

/** CPU ms of every PostgreSQL process (clock ticks of 10 ms). */
function postgresCpu(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}

async function walBytes(): Promise<number> {
  const [row] = await sql`select pg_current_wal_lsn() - '0/0'::pg_lsn as bytes`;
  return Number(row!.bytes);
}

const subject = subjects({ redis, redisUrl, sql, databaseUrl }).find((entry) => entry.name === name);
if (!subject) throw new Error(`No contender "${name}" in bench/subjects.ts.`);
for (let round = 0; round < rounds; round++) {
  const run = await subject.open();
  await run.enqueue(jobs);
  const before = { redis: await redisCpu(), postgres: postgresCpu(), wal: await walBytes() };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run.process(jobs, 50);
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const after = { redis: await redisCpu(), postgres: postgresCpu(), wal: await walBytes() };
  console.log(
    `${name}: ${((jobs / elapsed) * 1000).toFixed(0)} jobs/s in ${elapsed.toFixed(0)} ms; CPU ms: this process ${((used.user + used.system) / 1000).toFixed(0)}, Redis ${(after.redis - before.redis).toFixed(0)}, PostgreSQL ${after.postgres - before.postgres}; WAL ${((after.wal - before.wal) / jobs).toFixed(0)} bytes/job`,
  );
  await run.close();
}
await redis.quit();
await sql.end();
