// Graceful shutdown in process, with injected signals and exit: order, timeouts, forced exit, draining.
import { EventEmitter } from 'node:events';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createHealth, createShutdown, DeployError, type ShutdownOptions } from '../src/index.js';
import { healthHandler } from '../src/node.js';
import { captureLogger } from './support/capture-logger.js';
import { httpGet as get } from './support/http-get.js';

function harness(options: Partial<ShutdownOptions> = {}) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const logger = captureLogger();
  const shutdown = createShutdown({
    readinessDelay: 0,
    timeout: 2000,
    signalSource: signals,
    exit: (code) => exits.push(code),
    logger,
    ...options,
  });
  return { signals, exits, logger, shutdown };
}

/** A promise a server handler resolves when the request under test has reached it. */
function arrival() {
  let signal: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    signal = resolve;
  });
  return { arrived, signal: () => signal() };
}

describe('createShutdown', () => {
  it('on SIGTERM fails readiness, waits the delay, drains servers, then closes resources in reverse order and exits 0', async () => {
    const events: string[] = [];
    const health = createHealth({ started: true });
    const { signals, exits, shutdown } = harness({ health, readinessDelay: 50 });
    shutdown.addServer(
      { close: async () => void events.push(`server (ready: ${health.shuttingDown ? 'no' : 'yes'})`) },
      'api',
    );
    shutdown.add({ close: () => void events.push('queue') }, 'queue');
    shutdown.add({ [Symbol.asyncDispose]: async () => void events.push('pool') }, 'pool');
    signals.emit('SIGTERM', 'SIGTERM');
    expect(health.shuttingDown).toBe(true);
    expect((await health.report('readiness')).status).toBe('fail');
    expect(events).toEqual([]);
    const result = await shutdown.shutdown();
    expect(events).toEqual(['server (ready: no)', 'pool', 'queue']);
    expect(result).toMatchObject({ code: 0, reason: 'SIGTERM', unfinished: [], failed: [] });
    expect(exits).toEqual([0]);
  });

  it('drains fully but exits with the given code when the shutdown is caused by a fatal error', async () => {
    const events: string[] = [];
    const { exits, shutdown } = harness();
    shutdown.add({ close: () => void events.push('pool') }, 'pool');
    const result = await shutdown.shutdown('uncaughtException', { exitCode: 1 });
    expect(events).toEqual(['pool']);
    expect(result).toMatchObject({ code: 1, reason: 'uncaughtException', unfinished: [], failed: [] });
    expect(exits).toEqual([1]);
  });

  it('exits 1 at the timeout with a log line naming what did not finish', async () => {
    const { exits, logger, shutdown } = harness({ timeout: 100 });
    shutdown.add({ close: () => undefined }, 'cache');
    shutdown.add({ close: () => new Promise(() => {}) }, 'stuck-queue');
    const result = await shutdown.shutdown('test');
    expect(result.code).toBe(1);
    expect(result.unfinished).toEqual(['cache', 'stuck-queue']);
    expect(exits).toEqual([1]);
    const line = logger.lines.find((entry) => entry.level === 'error');
    expect(line?.message).toContain('stuck-queue');
    expect(line?.message).toContain('timed out after 100 ms');
  });

  it('keeps closing the rest when one resource throws, then exits 1 naming it', async () => {
    const closed: string[] = [];
    const { exits, logger, shutdown } = harness();
    shutdown.add({ close: () => void closed.push('first') }, 'first');
    shutdown.add(
      {
        close: () => {
          throw new Error('broken pipe');
        },
      },
      'broken',
    );
    const result = await shutdown.shutdown();
    expect(closed).toEqual(['first']);
    expect(result.failed).toEqual([{ name: 'broken', error: 'broken pipe' }]);
    expect(exits).toEqual([1]);
    expect(logger.lines.some((line) => line.level === 'error' && line.message?.includes('broken'))).toBe(
      true,
    );
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('exits at once with %s a second time, code %i', async (signal, code) => {
    const { signals, exits, shutdown } = harness({ timeout: 5000 });
    let release: () => void = () => {};
    shutdown.add({ close: () => new Promise<void>((resolve) => (release = resolve)) });
    signals.emit(signal, signal);
    await sleep(10);
    signals.emit(signal, signal);
    expect(exits).toEqual([code]);
    release();
    await shutdown.shutdown();
  });

  it('runs once however often it is started', async () => {
    let closes = 0;
    const { shutdown, exits } = harness();
    shutdown.add({ close: () => void closes++ });
    const [first, second] = await Promise.all([shutdown.shutdown('a'), shutdown.shutdown('b')]);
    expect(first).toBe(second);
    expect(closes).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('refuses to take new resources once shutdown began', async () => {
    const { shutdown } = harness();
    const done = shutdown.shutdown();
    expect(() => shutdown.add({ close: () => undefined })).toThrowError(
      expect.objectContaining({ code: 'ERR_DEPLOY_SHUTTING_DOWN' }),
    );
    await done;
  });

  it.each([
    ['a delay not shorter than the timeout', { readinessDelay: 1000, timeout: 1000 }],
    ['a negative timeout', { timeout: -5 }],
    ['an unknown signal', { signals: ['SIGNOPE' as NodeJS.Signals] }],
    ['a server that cannot be closed', { servers: [{} as never] }],
  ])('rejects %s with ERR_DEPLOY_INVALID_OPTION', (_, options) => {
    let error: unknown;
    try {
      createShutdown({ exit: false, signalSource: new EventEmitter(), ...options });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).code).toBe('ERR_DEPLOY_INVALID_OPTION');
  });

  it('stops listening for signals once removed', () => {
    const { signals, exits, shutdown } = harness();
    shutdown.removeSignalHandlers();
    signals.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.shuttingDown).toBe(false);
    expect(exits).toEqual([]);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('draining a node:http server', () => {
  it('answers in-flight requests with Connection: close, closes idle keep-alive sockets, refuses new connections', async () => {
    const health = createHealth({ started: true });
    const handler = healthHandler(health);
    const slowArrived = arrival();
    const server = createServer((request, response) =>
      handler(request, response, () => {
        slowArrived.signal();
        setTimeout(() => response.end('slow done'), 300);
      }),
    );
    const { exits, shutdown } = harness({ health, readinessDelay: 100 });
    shutdown.addServer(server, 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    // One idle keep-alive socket and one busy one.
    const warm = await get(port, '/livez', agent);
    expect(warm.headers.connection).toBe('keep-alive');
    const slow = get(port, '/slow', agent);
    await slowArrived.arrived;
    const done = shutdown.shutdown('test');
    // During the readiness delay the server still accepts, and readiness says 503.
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(503);
    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.body).toBe('slow done');
    expect(answered.headers.connection).toBe('close');
    const result = await done;
    expect(result.code).toBe(0);
    expect(exits).toEqual([0]);
    expect(server.listening).toBe(false);
    await expect(get(port, '/livez')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    agent.destroy();
  });

  it('answers Connection: close from the signal on, during the readiness delay, on kept-alive sockets', async () => {
    const health = createHealth({ started: true });
    const handler = healthHandler(health);
    const server = createServer((request, response) => handler(request, response, () => response.end('app')));
    const { signals, shutdown } = harness({ health, readinessDelay: 300 });
    shutdown.addServer(server, 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/app', agent)).headers.connection).toBe('keep-alive');
    signals.emit('SIGTERM', 'SIGTERM');
    // Still listening (the delay), the same kept-alive socket answers, and tells the client to let go.
    const during = await get(port, '/app', agent);
    expect(during.status).toBe(200);
    expect(during.headers.connection).toBe('close');
    expect(server.listening).toBe(true);
    expect((await shutdown.shutdown()).code).toBe(0);
    agent.destroy();
  });

  it('force-closes connections still open at the timeout and names the server with what was open', async () => {
    const hang = arrival();
    // Never answers.
    const server = createServer(() => hang.signal());
    const { logger, shutdown } = harness({ timeout: 150 });
    shutdown.addServer(server, 'http');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const hanging = get(port, '/hang').catch((error: NodeJS.ErrnoException) => error.code);
    await hang.arrived;
    const result = await shutdown.shutdown();
    expect(result).toMatchObject({ code: 1, unfinished: ['http'] });
    expect(logger.lines.find((line) => line.level === 'error')?.message).toContain(
      'http (1 request(s) in flight',
    );
    expect(await hanging).toBe('ECONNRESET');
  });

  it('closes a Fastify instance through its own close()', async () => {
    const app = Fastify();
    const slowArrived = arrival();
    app.get('/slow', async () => {
      slowArrived.signal();
      await sleep(200);
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const { shutdown } = harness();
    shutdown.addServer(app, 'fastify');
    const slow = get(port, '/slow');
    await slowArrived.arrived;
    const result = await shutdown.shutdown();
    expect((await slow).status).toBe(200);
    expect(result.code).toBe(0);
    expect(app.server.listening).toBe(false);
  });
});
