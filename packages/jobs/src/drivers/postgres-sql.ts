// The SQL of the PostgreSQL driver, one statement per driver call. `$1` is always the clock: null means
// the server's statement_timestamp(), so every process shares the database's clock.
/** The clock expression; statements without it number their parameters from $1. */
export const now = `coalesce($1::bigint, (extract(epoch from statement_timestamp()) * 1000)::bigint)`;

/** Quotes a schema name as an SQL identifier. */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Percent of a jobs page that inserts fill. A job is written three times (enqueued, claimed, finished)
 * and no update can be HOT (`state` is in every partial index's predicate); the room left lets the
 * claimed and finished versions go to the page of the version they replace. An update that goes to
 * another page first locks the old version in a WAL record of its own and touches a second page
 * (README, "What made the difference": pg_waldump over a serial completeAndClaim loop, 926 -> 720 WAL
 * bytes per job kept, with the shorter claim tokens).
 */
export const fillfactor = 50;

/** The statements, for one schema. */
export function statementsFor(schema: string) {
  const jobs = `${identifier(schema)}.jobs`;
  const columns = `id, queue, name, payload, state, priority, attempts, max_attempts, run_at, created_at, group_key,
    started_at, finished_at, progress, result, error, token, lease_until, seq`;
  // Completions, as CTEs ending in `done` (the ids that held): $2 queue, $3 { v: [[id, token, result,
  // remove]...] }. A job completed with remove = true is deleted in the same statement
  // (removeOnComplete: true), so it costs no round trip and leaves no row behind. One variant per kind
  // of batch: a batch that only keeps runs the statement it ran before removal existed.
  const keep = (
    filter: string,
  ) => `UPDATE ${jobs} j SET state = 'completed', result = e.item->2, finished_at = ${now}, token = NULL,
          lease_until = NULL, error = NULL
        FROM jsonb_array_elements($3::jsonb->'v') AS e(item)
        WHERE j.queue = $2 AND j.id = e.item->>0 AND j.state = 'active' AND j.token = e.item->>1${filter} RETURNING j.id`;
  const drop = (
    filter: string,
  ) => `DELETE FROM ${jobs} j USING jsonb_array_elements($3::jsonb->'v') AS e(item)
        WHERE j.queue = $2 AND j.id = e.item->>0 AND j.state = 'active' AND j.token = e.item->>1${filter} RETURNING j.id`;
  const finishes = {
    keep: `done AS (${keep('')})`,
    remove: `done AS (${drop('')})`,
    mixed: `kept AS (${keep(` AND e.item->>3 IS DISTINCT FROM 'true'`)}),
      gone AS (${drop(` AND e.item->>3 = 'true'`)}),
      done AS (SELECT id FROM kept UNION ALL SELECT id FROM gone)`,
  };
  const byFinish = (statement: (finish: string) => string) => ({
    keep: statement(finishes.keep),
    remove: statement(finishes.remove),
    mixed: statement(finishes.mixed),
  });
  return {
    migrate: [
      `CREATE SCHEMA IF NOT EXISTS ${identifier(schema)}`,
      // queue, id and state compare by bytes (COLLATE "C"): every claim and completion walks indexes
      // on them, and a libc collation (even C.UTF-8) compares through strcoll (bench/index.ts, "process
      // 20000 no-op jobs": a quarter of the server's CPU).
      `CREATE TABLE IF NOT EXISTS ${jobs} (
        queue text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL,
        state text COLLATE "C" NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'dead')),
        priority integer NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        run_at bigint NOT NULL,
        created_at bigint NOT NULL,
        seq bigserial NOT NULL,
        group_key text,
        dedupe_key text,
        debounce_key text,
        token text,
        lease_until bigint,
        started_at bigint,
        finished_at bigint,
        progress jsonb,
        result jsonb,
        error text,
        PRIMARY KEY (queue, id)
      ) WITH (fillfactor = ${fillfactor})`,
      // Forward migration from 0.0.x tables, made with the database's collation: to "C", rebuilding
      // the indexes on these columns once (test/postgres-migration.test.ts).
      `DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
          WHERE a.attrelid = '${jobs}'::regclass AND a.attname IN ('queue', 'id', 'state') AND c.collname <> 'C') THEN
          ALTER TABLE ${jobs} ALTER COLUMN queue TYPE text COLLATE "C", ALTER COLUMN id TYPE text COLLATE "C",
            ALTER COLUMN state TYPE text COLLATE "C";
        END IF;
      END $$`,
      // Tables made before the fillfactor: the same, unless someone chose one (theirs wins). It applies
      // to pages filled from now on; the rows already stored stay where they are.
      `DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_class c, unnest(c.reloptions) AS o(option)
          WHERE c.oid = '${jobs}'::regclass AND o.option LIKE 'fillfactor=%') THEN
          ALTER TABLE ${jobs} SET (fillfactor = ${fillfactor});
        END IF;
      END $$`,
      `CREATE INDEX IF NOT EXISTS jobs_due ON ${jobs} (queue, priority DESC, run_at, seq) WHERE state = 'waiting'`,
      `CREATE INDEX IF NOT EXISTS jobs_lease ON ${jobs} (queue, lease_until) WHERE state = 'active'`,
      // The key state machine: a dedupe key is held while its job waits or runs, a debounce key while
      // its job waits unclaimed (claim clears it); the unique indexes make both atomic.
      `CREATE UNIQUE INDEX IF NOT EXISTS jobs_dedupe ON ${jobs} (queue, dedupe_key)
        WHERE dedupe_key IS NOT NULL AND state IN ('waiting', 'active')`,
      `CREATE UNIQUE INDEX IF NOT EXISTS jobs_debounce ON ${jobs} (queue, debounce_key)
        WHERE debounce_key IS NOT NULL AND state = 'waiting'`,
      `CREATE TABLE IF NOT EXISTS ${identifier(schema)}.throttles (
        queue text NOT NULL, key text NOT NULL, until_at bigint NOT NULL, id text NOT NULL, PRIMARY KEY (queue, key))`,
      `CREATE TABLE IF NOT EXISTS ${identifier(schema)}.group_rates (
        queue text NOT NULL, group_key text NOT NULL, window_start bigint NOT NULL, used integer NOT NULL,
        PRIMARY KEY (queue, group_key, window_start))`,
      `CREATE INDEX IF NOT EXISTS jobs_finished ON ${jobs} (queue, state, finished_at) WHERE state IN ('completed', 'dead')`,
    ],
    // $2 queue, $3 { v: the jobs } (postgres.js sends a jsonb parameter as JSON; an array alone would be a PG array), $4 the wake-up's payload. ON CONFLICT DO NOTHING: an id the queue holds is not added.
    // The wake-up goes in the same statement, once, if a job was added: a NOTIFY of its own is a
    // second transaction with its own commit and WAL flush (bench/index.ts, "enqueue-to-start").
    add: `WITH added AS (
        INSERT INTO ${jobs} (queue, id, name, payload, state, priority, max_attempts, run_at, created_at, group_key)
        SELECT $2, e.j->>'id', e.j->>'name', e.j->'payload', 'waiting', (e.j->>'priority')::int, (e.j->>'max')::int,
          coalesce((e.j->>'runAt')::bigint, ${now}), ${now}, e.j->>'group'
        FROM jsonb_array_elements($3::jsonb->'v') WITH ORDINALITY AS e(j, ord) ORDER BY e.ord
        ON CONFLICT (queue, id) DO NOTHING RETURNING id),
      woken AS (SELECT pg_notify('plinth_jobs', $4) FROM added LIMIT 1)
      SELECT id FROM added WHERE (SELECT count(*) FROM woken) >= 0`,
    // (A CTE that only SELECTs runs only when the query reads it: the always-true count reads \`woken\`.)
    // One keyed job: $2 queue, $3 id, $4 name, $5 { v: payload }, $6 priority, $7 max, $8 runAt, $9 group, $10 key, $11 window.
    addDedupe: `INSERT INTO ${jobs} (queue, id, name, payload, state, priority, max_attempts, run_at, created_at, group_key, dedupe_key)
      VALUES ($2, $3, $4, $5::jsonb->'v', 'waiting', $6, $7, coalesce($8::bigint, ${now}), ${now}, $9, $10)
      ON CONFLICT DO NOTHING RETURNING id, $11::bigint AS window`,
    holderDedupe: `SELECT id FROM ${jobs} WHERE queue = $1 AND (id = $2 OR (dedupe_key = $3 AND state IN ('waiting', 'active')))
      ORDER BY (id = $2) DESC LIMIT 1`,
    addDebounce: `INSERT INTO ${jobs} (queue, id, name, payload, state, priority, max_attempts, run_at, created_at, group_key, debounce_key)
      VALUES ($2, $3, $4, $5::jsonb->'v', 'waiting', $6, $7, ${now} + $11::bigint + 0 * coalesce($8::bigint, 0), ${now}, $9, $10)
      ON CONFLICT (queue, debounce_key) WHERE debounce_key IS NOT NULL AND state = 'waiting'
      DO UPDATE SET payload = EXCLUDED.payload, run_at = EXCLUDED.run_at
      RETURNING id, (xmax = 0) AS inserted`,
    addThrottle: `WITH gate AS (
        INSERT INTO ${identifier(schema)}.throttles AS t (queue, key, until_at, id) VALUES ($2, $10, ${now} + $11::bigint, $3)
        ON CONFLICT (queue, key) DO UPDATE SET until_at = EXCLUDED.until_at, id = EXCLUDED.id WHERE t.until_at <= ${now}
        RETURNING 1)
      INSERT INTO ${jobs} (queue, id, name, payload, state, priority, max_attempts, run_at, created_at, group_key)
      SELECT $2, $3, $4, $5::jsonb->'v', 'waiting', $6, $7, coalesce($8::bigint, ${now}), ${now}, $9 WHERE EXISTS (SELECT 1 FROM gate)
      ON CONFLICT DO NOTHING RETURNING id`,
    holderThrottle: `SELECT id FROM ${identifier(schema)}.throttles WHERE queue = $1 AND key = $2`,
    notify: `SELECT pg_notify('plinth_jobs', $1)`,
    // $2 queue, $3 { v: [[id, token, result]...] } to complete, $4 limit, $5 lease ms, $6 token prefix.
    // Completes, then claims, in one statement and one commit (bench/index.ts, "process 20000 no-op
    // jobs": a commit for the completions and another for the claim was half the server's work).
    // SKIP LOCKED: concurrent claims pass over each other's rows. The locked rows are updated by ctid
    // (a TID scan each): joined on (queue, id) the planner walked the due index once per row. The
    // token is the claim's random prefix and the row's seq, not a gen_random_uuid() per row. The
    // claimed jobs come back as one JSON array in claim order: one parse, not one per column.
    completeAndClaim: byFinish(
      (finish) => `WITH ${finish},
      next AS (
        SELECT ctid FROM ${jobs}
        WHERE queue = $2 AND state = 'waiting' AND run_at <= ${now}
        ORDER BY priority DESC, run_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE ${jobs} j SET state = 'active', attempts = j.attempts + 1, token = $6 || j.seq, debounce_key = NULL,
          lease_until = ${now} + $5::bigint, started_at = ${now}
        WHERE j.ctid = ANY (ARRAY(SELECT ctid FROM next))
        RETURNING j.id, j.name, j.payload, j.priority, j.attempts, j.max_attempts, j.run_at, j.created_at, j.group_key,
          j.progress, j.error, j.token, j.seq)
      SELECT ${now} AS started_at,
        (SELECT coalesce(json_agg(d.id), '[]') FROM done d) AS done,
        (SELECT coalesce(json_agg(json_build_array(c.id, c.name, c.payload, c.priority, c.attempts, c.max_attempts,
          c.run_at, c.created_at, c.group_key, c.progress, c.error, c.token) ORDER BY c.priority DESC, c.run_at, c.seq), '[]')
          FROM claimed c) AS jobs`,
    ),
    // With groups ($5 concurrency, $6 rate limit, $7 rate window start; null = no limit; $8 token prefix): claims are serialised by an advisory lock (taken by the caller in the
    // same transaction), so the active count per group cannot change between reading and claiming.
    claimGroups: `WITH active AS (
        SELECT group_key, count(*) AS n FROM ${jobs} WHERE queue = $2 AND state = 'active' AND group_key IS NOT NULL GROUP BY group_key),
      candidates AS (
        SELECT queue, id, group_key, priority, run_at, seq FROM ${jobs}
        WHERE queue = $2 AND state = 'waiting' AND run_at <= ${now}
        ORDER BY priority DESC, run_at, seq LIMIT 1000),
      ranked AS (
        SELECT c.*, row_number() OVER (PARTITION BY c.group_key ORDER BY c.priority DESC, c.run_at, c.seq) AS rank
        FROM candidates c),
      next AS (
        SELECT r.queue, r.id FROM ranked r LEFT JOIN active a ON a.group_key = r.group_key
        LEFT JOIN ${identifier(schema)}.group_rates g ON g.queue = $2 AND g.group_key = r.group_key AND g.window_start = $7::bigint
        WHERE r.group_key IS NULL OR (r.rank + coalesce(a.n, 0) <= coalesce($5::int, 2147483647)
          AND r.rank + coalesce(g.used, 0) <= coalesce($6::int, 2147483647))
        ORDER BY r.priority DESC, r.run_at, r.seq LIMIT $3)
      UPDATE ${jobs} j SET state = 'active', attempts = j.attempts + 1, token = $8 || j.seq, debounce_key = NULL,
        lease_until = ${now} + $4::bigint, started_at = ${now}
      FROM next WHERE j.queue = next.queue AND j.id = next.id AND j.state = 'waiting'
      RETURNING ${columns.replaceAll(/\b(\w+)\b/g, 'j.$1')}`,
    // $2 queue, $3 window start, $4 { v: [[group, claims]...] }: counts the claims of a rate window.
    countRates: `INSERT INTO ${identifier(schema)}.group_rates AS g (queue, group_key, window_start, used)
      SELECT $1, e.item->>0, $2::bigint, (e.item->>1)::int FROM jsonb_array_elements($3::jsonb->'v') AS e(item)
      ON CONFLICT (queue, group_key, window_start) DO UPDATE SET used = g.used + EXCLUDED.used`,
    pruneRates: `DELETE FROM ${identifier(schema)}.group_rates WHERE queue = $1 AND window_start < $2::bigint`,
    // $2 queue, $3 lease ms, $4 JSON array of [id, token].
    extend: `UPDATE ${jobs} j SET lease_until = ${now} + $3::bigint
      FROM jsonb_array_elements($4::jsonb->'v') AS e(pair)
      WHERE j.queue = $2 AND j.state = 'active' AND j.id = e.pair->>0 AND j.token = e.pair->>1 RETURNING j.id`,
    // $2 queue, $3 { v: [[id, token, result]...] }: one statement (one commit) for a batch.
    // Every variant names the clock ($1), the delete-only one too, so the parameters keep their numbers.
    complete: byFinish((finish) => `WITH ${finish} SELECT id, ${now} AS at FROM done`),
    // $2 queue, $3 state, $4 age ms or null, $5 count or null: deletes the finished jobs not kept.
    prune: `DELETE FROM ${jobs} j WHERE j.queue = $2 AND j.state = $3 AND (
        ($4::bigint IS NOT NULL AND j.finished_at <= ${now} - $4::bigint)
        OR ($5::int IS NOT NULL AND j.ctid IN (SELECT ctid FROM ${jobs} WHERE queue = $2 AND state = $3
          ORDER BY finished_at DESC, seq DESC OFFSET $5::int)))
      RETURNING j.id`,
    // $5 error, $6 retryAt or null.
    fail: `UPDATE ${jobs} SET error = $5, token = NULL, lease_until = NULL,
        state = CASE WHEN $6::bigint IS NOT NULL AND attempts < max_attempts THEN 'waiting' ELSE 'dead' END,
        run_at = CASE WHEN $6::bigint IS NOT NULL AND attempts < max_attempts THEN $6::bigint ELSE run_at END,
        finished_at = CASE WHEN $6::bigint IS NOT NULL AND attempts < max_attempts THEN NULL ELSE ${now} END
      WHERE queue = $2 AND id = $3 AND state = 'active' AND token = $4 RETURNING state`,
    release: `UPDATE ${jobs} SET state = 'waiting', attempts = attempts - 1, run_at = ${now}, token = NULL, lease_until = NULL
      WHERE queue = $2 AND id = $3 AND state = 'active' AND token = $4 RETURNING id`,
    progress: `UPDATE ${jobs} SET progress = $4::jsonb->'v' WHERE queue = $1 AND id = $2 AND state = 'active' AND token = $3 RETURNING id`,
    recover: `UPDATE ${jobs} SET token = NULL, lease_until = NULL, error = 'stalled: the lease expired before the job finished',
        state = CASE WHEN attempts < max_attempts THEN 'waiting' ELSE 'dead' END,
        run_at = CASE WHEN attempts < max_attempts THEN ${now} ELSE run_at END,
        finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE ${now} END
      WHERE queue = $2 AND state = 'active' AND lease_until <= ${now} RETURNING id, state`,
    get: `SELECT ${columns} FROM ${jobs} WHERE queue = $1 AND id = $2`,
    // $3 offset, $4 limit.
    list: {
      waiting: `SELECT ${columns} FROM ${jobs} WHERE queue = $2 AND state = 'waiting' AND run_at <= ${now}
        ORDER BY priority DESC, run_at, seq OFFSET $3 LIMIT $4`,
      delayed: `SELECT ${columns} FROM ${jobs} WHERE queue = $2 AND state = 'waiting' AND run_at > ${now}
        ORDER BY run_at, seq OFFSET $3 LIMIT $4`,
      active: `SELECT ${columns} FROM ${jobs} WHERE queue = $1 AND state = 'active'
        ORDER BY lease_until, seq OFFSET $2 LIMIT $3`,
      completed: `SELECT ${columns} FROM ${jobs} WHERE queue = $1 AND state = 'completed'
        ORDER BY finished_at, seq OFFSET $2 LIMIT $3`,
      dead: `SELECT ${columns} FROM ${jobs} WHERE queue = $1 AND state = 'dead'
        ORDER BY finished_at, seq OFFSET $2 LIMIT $3`,
    },
    redrive: `UPDATE ${jobs} SET state = 'waiting', attempts = 0, run_at = ${now}, finished_at = NULL
      WHERE queue = $2 AND id = $3 AND state = 'dead' RETURNING id`,
    remove: `DELETE FROM ${jobs} WHERE queue = $1 AND id = $2 AND state <> 'active' RETURNING id`,
    counts: `SELECT
        count(*) FILTER (WHERE state = 'waiting' AND run_at <= ${now}) AS waiting,
        count(*) FILTER (WHERE state = 'waiting' AND run_at > ${now}) AS delayed,
        count(*) FILTER (WHERE state = 'active') AS active,
        count(*) FILTER (WHERE state = 'completed') AS completed,
        count(*) FILTER (WHERE state = 'dead') AS dead,
        coalesce(${now} - min(run_at) FILTER (WHERE state = 'waiting' AND run_at <= ${now}), 0) AS latency
      FROM ${jobs} WHERE queue = $2`,
    now: `SELECT ${now} AS now`,
  };
}
