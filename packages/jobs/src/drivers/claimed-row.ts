// A claimed job as the Redis claim scripts and the PostgreSQL completeAndClaim statement answer it: one
// JSON array per job, positions fixed, so a claim decodes without per-field names or parsing.
import type { ClaimedJob } from '../driver.js';

/** The positions of a claimed job's fields; PostgreSQL appends its lease token, Redis derives it. */
export type ClaimedRow = [
  id: string,
  name: string,
  payload: unknown,
  priority: number,
  attempts: number,
  maxAttempts: number,
  runAt: number,
  createdAt: number,
  group: string | null,
  progress: unknown,
  error: string | null,
  token?: string,
];

/** The ClaimedJob of one row, claimed at `startedAt` under `token` until `leaseUntil`. */
export function claimedJob(
  queue: string,
  row: ClaimedRow,
  token: string,
  startedAt: number,
  leaseUntil: number,
): ClaimedJob {
  return {
    id: row[0],
    queue,
    name: row[1],
    payload: row[2],
    state: 'active',
    priority: row[3],
    attempts: row[4],
    maxAttempts: row[5],
    runAt: row[6],
    createdAt: row[7],
    group: row[8] ?? undefined,
    startedAt,
    finishedAt: undefined,
    progress: row[9] ?? undefined,
    result: undefined,
    error: row[10] ?? undefined,
    token,
    leaseUntil,
  };
}
