// Reliability under load: a real server in a child process, 20 keep-alive clients, slow requests in
// flight, then SIGTERM. No client sees an error on a connection it already had (refused new
// connections are fine), every request started before the signal ends 2xx, every request the app
// handled reaches its client, readiness says 503 during the drain, and the exit code is 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { httpGet } from './support/http-get.js';

const fixture = fileURLToPath(new URL('./fixtures/server.ts', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

const keepAliveClients = 20;

interface Figures {
  server: string;
  sent: number;
  completed2xx: number;
  shed503: number;
  /**
   * A new connection the server refused as it stopped listening: ECONNREFUSED once the listener is
   * closed, or ECONNRESET when it sat in the kernel's accept queue as the listener closed (the app
   * never saw it). Each client stops at its first, so at most one per client.
   */
  refusedNew: number;
  /** Any error on a kept-alive connection the client reused: what a graceful drain must avoid. */
  errorExisting: number;
  /** The error codes of the refused new connections. */
  errorCodes: Record<string, number>;
  sentBeforeSignal: number;
  completedBeforeSignal: number;
  slowSent: number;
  slow2xx: number;
  readiness503: number;
  drainMs: number;
  exitCode: number | null;
  serverHandled: number;
  serverAnswered: number;
  /** Connections the server accepted and closed with no response written on them. */
  serverUnserved: number;
}

type Outcome = { status: number } | { error: string; reused: boolean };

/** One GET over `agent`, telling an error on a reused keep-alive socket from one on a new connection. */
function send(port: number, path: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ error: error.code ?? 'error', reused: outgoing.reusedSocket }),
      );
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? 'error', reused: outgoing.reusedSocket }),
    );
    outgoing.end();
  });
}

function count(figures: Figures, outcome: Outcome, beforeSignal: boolean): void {
  if ('status' in outcome) {
    if (outcome.status >= 200 && outcome.status < 300) {
      figures.completed2xx++;
      if (beforeSignal) figures.completedBeforeSignal++;
    } else figures.shed503++;
    return;
  }
  if (outcome.reused) {
    figures.errorExisting++;
    return;
  }
  figures.refusedNew++;
  figures.errorCodes[outcome.error] = (figures.errorCodes[outcome.error] ?? 0) + 1;
}

async function startFixture(server: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, server], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), sleep(30_000).then(() => ({ value: undefined }))]);
  if (typeof first.value !== 'string') throw new Error(`${server} fixture did not start`);
  const { port } = JSON.parse(first.value) as { port: number };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, port, exited };
}

async function scenario(server: string): Promise<Figures> {
  const { child, lines, port, exited } = await startFixture(server);
  const figures: Figures = {
    server,
    sent: 0,
    completed2xx: 0,
    shed503: 0,
    refusedNew: 0,
    errorExisting: 0,
    errorCodes: {},
    sentBeforeSignal: 0,
    completedBeforeSignal: 0,
    slowSent: 0,
    slow2xx: 0,
    readiness503: 0,
    drainMs: 0,
    exitCode: null,
    serverHandled: 0,
    serverAnswered: 0,
    serverUnserved: 0,
  };
  let signalled = false;
  let stop = false;
  const agent = new Agent({ keepAlive: true, maxSockets: keepAliveClients });

  async function client(): Promise<void> {
    while (!stop) {
      const before = !signalled;
      figures.sent++;
      if (before) figures.sentBeforeSignal++;
      const outcome = await send(port, '/work?ms=2', agent);
      count(figures, outcome, before);
      // Once the server stopped listening there is nothing left to send to.
      if ('error' in outcome && signalled) return;
    }
  }
  const clients = Array.from({ length: keepAliveClients }, client);
  await sleep(800);

  const slowAgent = new Agent({ keepAlive: true });
  const slow = Array.from({ length: 3 }, async () => {
    figures.slowSent++;
    figures.sent++;
    figures.sentBeforeSignal++;
    const outcome = await send(port, '/work?ms=1500', slowAgent);
    if ('status' in outcome && outcome.status === 200) figures.slow2xx++;
    count(figures, outcome, true);
  });
  await sleep(100);

  signalled = true;
  const started = performance.now();
  child.kill('SIGTERM');
  const readiness = (async () => {
    for (;;) {
      try {
        if ((await httpGet(port, '/readyz')).status === 503) figures.readiness503++;
      } catch {
        return;
      }
      await sleep(50);
    }
  })();
  figures.exitCode = await Promise.race([exited, sleep(15_000).then(() => -1)]);
  figures.drainMs = Math.round(performance.now() - started);
  stop = true;
  await Promise.all([...clients, ...slow, readiness]);
  agent.destroy();
  slowAgent.destroy();
  const last = await lines.next();
  if (typeof last.value === 'string') {
    const counts = JSON.parse(last.value) as { handled: number; answered: number; unserved: number };
    figures.serverHandled = counts.handled;
    figures.serverAnswered = counts.answered;
    figures.serverUnserved = counts.unserved;
  }
  return figures;
}

/** A README table row. */
function row(figures: Figures): string {
  const cells = [
    figures.server,
    figures.sent,
    figures.completed2xx,
    figures.shed503,
    `${figures.refusedNew} (${Object.entries(figures.errorCodes)
      .map(([code, times]) => `${times} ${code}`)
      .join(', ')})`,
    figures.errorExisting,
    `${figures.drainMs} ms`,
    figures.exitCode,
  ];
  return `| ${cells.join(' | ')} |`;
}

describe('graceful shutdown under load (child process, loopback, 20 keep-alive clients)', () => {
  it.each(['node', 'express', 'fastify', 'serve'])(
    '%s: drains on SIGTERM with no error on an existing connection',
    async (server) => {
      const figures = await scenario(server);
      console.log(`reliability ${JSON.stringify(figures)}\nreliability row ${row(figures)}`);
      expect(figures.exitCode).toBe(0);
      expect(figures.errorExisting).toBe(0);
      expect(figures.refusedNew).toBeLessThanOrEqual(keepAliveClients);
      // The refused ones never reached the app: no accepted connection was closed unanswered.
      expect(figures.serverUnserved).toBe(0);
      expect(figures.completedBeforeSignal).toBe(figures.sentBeforeSignal);
      expect(figures.slow2xx).toBe(figures.slowSent);
      expect(figures.readiness503).toBeGreaterThan(0);
      // Every request the app handled was answered and reached its client as a 2xx.
      expect(figures.serverAnswered).toBe(figures.serverHandled);
      expect(figures.completed2xx).toBe(figures.serverHandled);
      expect(figures.sent).toBe(
        figures.completed2xx + figures.shed503 + figures.refusedNew + figures.errorExisting,
      );
    },
  );
});

describe('signals in a real process', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('a second %s during the drain exits at once with %i', async (signal, code) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'node'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, READINESS_DELAY: '8000' },
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const { port } = JSON.parse(String((await lines.next()).value)) as { port: number };
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (exitCode) => resolve(exitCode)),
    );
    child.kill(signal);
    // Readiness answers 503 while the first signal's drain waits out its delay.
    for (let attempt = 0; attempt < 50 && (await httpGet(port, '/readyz')).status !== 503; attempt++)
      await sleep(20);
    expect((await httpGet(port, '/readyz')).status).toBe(503);
    child.kill(signal);
    expect(await Promise.race([exited, sleep(5000).then(() => 'still running')])).toBe(code);
  });
});
