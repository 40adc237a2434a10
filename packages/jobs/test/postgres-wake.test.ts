// Enqueue wakes PostgreSQL workers from inside its own INSERT statement: once per call that added a
// job, never for a call that added nothing. NOTIFYs arrive in commit order, so a marker sent after the
// enqueue tells, without a timer, that no wake-up came before it.
import type { Sql } from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewJob } from '../src/driver.js';
import { postgresDriver } from '../src/postgres.js';
import { postgresClient, postgresUp, testSchema } from './support/servers.js';

const job = (id: string): NewJob => ({ id, name: 'noop', payload: null, priority: 0, maxAttempts: 1 });

describe.skipIf(!postgresUp)('PostgreSQL driver: wake-ups on enqueue', () => {
  const sql = postgresUp ? postgresClient() : (undefined as unknown as Sql);
  const schema = testSchema('wake');
  afterAll(async () => {
    await sql?.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await sql?.end();
  });

  /** Runs `enqueue`, then sends a marker; resolves with the wake-ups the queue got before the marker. */
  async function wakeUpsDuring(queue: string, enqueue: () => Promise<unknown>): Promise<number> {
    const driver = postgresDriver({ sql, schema });
    let wakeUps = 0;
    let markerSeen!: () => void;
    const marker = new Promise<void>((resolve) => (markerSeen = resolve));
    const unsubscribe = await driver.subscribe!(queue, () => wakeUps++);
    const unsubscribeMarker = await driver.subscribe!(`${queue}-marker`, () => markerSeen());
    await enqueue();
    await sql.unsafe(`SELECT pg_notify('plinth_jobs', $1)`, [`${schema}.${queue}-marker`]);
    await marker;
    await unsubscribe();
    await unsubscribeMarker();
    await driver.close();
    return wakeUps;
  }

  it('wakes once for a batch of added jobs', async () => {
    const driver = postgresDriver({ sql, schema });
    const added = await wakeUpsDuring('batch', () => driver.add('batch', [job('a'), job('b'), job('c')]));
    expect(added).toBe(1);
  });

  it('does not wake when the call added nothing', async () => {
    const driver = postgresDriver({ sql, schema });
    await driver.add('held', [job('a')]);
    const again = await wakeUpsDuring('held', () => driver.add('held', [job('a')]));
    expect(again).toBe(0);
  });
});
