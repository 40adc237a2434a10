import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryDriver } from './drivers/memory.js';
import { InvalidPayloadError, JobsError } from './errors.js';
import { defineJob } from './job.js';
import { createQueue } from './queue.js';

const sendEmail = defineJob({
  name: 'send-email',
  schema: z.object({ to: z.email(), retries: z.number().int().default(0) }),
  handler: async ({ to }) => to,
});

describe('createQueue', () => {
  it('enqueues the payload as the schema outputs it', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    const { id, added } = await queue.enqueue(sendEmail, { to: 'ada@example.com' });
    expect(added).toBe(true);
    expect(await queue.get(id)).toMatchObject({
      name: 'send-email',
      payload: { to: 'ada@example.com', retries: 0 },
      state: 'waiting',
      maxAttempts: 3,
    });
  });

  it('refuses a payload that fails its schema with ERR_JOBS_INVALID_PAYLOAD and adds nothing', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    const error = await queue
      .enqueue(sendEmail, { to: 'not an email' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect(error).toMatchObject({ code: 'ERR_JOBS_INVALID_PAYLOAD' });
    expect((error as Error).message).toMatch(/send-email.*at to/);
    expect((error as InvalidPayloadError).issues.length).toBeGreaterThan(0);
    expect((await queue.counts()).waiting).toBe(0);
  });

  it('refuses an unknown job name with ERR_JOBS_UNKNOWN_JOB naming the known ones', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    await expect(queue.enqueue('send-sms', {})).rejects.toMatchObject({
      code: 'ERR_JOBS_UNKNOWN_JOB',
      message: expect.stringContaining('Known: send-email'),
    });
  });

  it('adds a job id once (deduplication)', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    expect(await queue.enqueue(sendEmail, { to: 'a@example.com' }, { id: 'welcome-42' })).toEqual({
      id: 'welcome-42',
      added: true,
    });
    expect(await queue.enqueue(sendEmail, { to: 'b@example.com' }, { id: 'welcome-42' })).toEqual({
      id: 'welcome-42',
      added: false,
    });
    expect((await queue.get('welcome-42'))?.payload).toMatchObject({ to: 'a@example.com' });
  });

  it('delays by delayMs or runAt on the driver clock, with priority and attempts per job', async () => {
    const driver = memoryDriver({ now: () => 1_000_000 });
    const queue = createQueue({ driver, jobs: [sendEmail] });
    const later = await queue.enqueue(
      sendEmail,
      { to: 'a@example.com' },
      { delayMs: 5000, priority: 7, attempts: 9 },
    );
    const at = await queue.enqueue(sendEmail, { to: 'a@example.com' }, { runAt: new Date(2_000_000) });
    expect(await queue.get(later.id)).toMatchObject({ runAt: 1_005_000, priority: 7, maxAttempts: 9 });
    expect(await queue.get(at.id)).toMatchObject({ runAt: 2_000_000 });
    expect((await queue.counts()).delayed).toBe(2);
  });

  it('enqueues many in one call, all validated first', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    await expect(
      queue.enqueueMany([
        { job: sendEmail, payload: { to: 'a@example.com' } },
        { job: sendEmail, payload: { to: 'nope' } },
      ]),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
    expect((await queue.counts()).waiting).toBe(0);
    expect(await queue.enqueueMany([{ job: sendEmail, payload: { to: 'a@example.com' } }])).toHaveLength(1);
  });

  it('fails at creation on bad options', () => {
    expect(() => createQueue({ driver: memoryDriver(), jobs: [sendEmail, sendEmail] })).toThrow(/unique/);
    expect(() => createQueue({ driver: memoryDriver(), name: 'has space', jobs: [] })).toThrow(JobsError);
    expect(() => defineJob({ name: 'x', handler: () => 1, attempts: 0 })).toThrow(/attempts/);
    expect(() => defineJob({ name: 'x', handler: () => 1, backoff: { type: 'linear' } as never })).toThrow(
      /backoff/,
    );
  });

  it('redrive refuses a job that is not dead with ERR_JOBS_NOT_FOUND', async () => {
    const queue = createQueue({ driver: memoryDriver(), jobs: [sendEmail] });
    const { id } = await queue.enqueue(sendEmail, { to: 'a@example.com' });
    await expect(queue.redrive(id)).rejects.toMatchObject({ code: 'ERR_JOBS_NOT_FOUND' });
  });
});
