// Reliability under load: a real server in a child process, 10 keep-alive clients, slow requests
// in flight, then SIGTERM. Every request started before the signal must end 2xx, every request the
// app handled must reach the client, readiness must say 503 during the drain, and the exit code is 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent } from 'node:http';
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

interface Figures {
  framework: string;
  sent: number;
  completed2xx: number;
  shed503: number;
  failed: number;
  sentBeforeSignal: number;
  completedBeforeSignal: number;
  slowSent: number;
  slow2xx: number;
  readiness503: number;
  drainMs: number;
  exitCode: number | null;
  serverHandled: number;
  serverAnswered: number;
}

async function scenario(framework: string): Promise<Figures> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, framework], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), sleep(20_000).then(() => ({ value: undefined }))]);
  if (typeof first.value !== 'string') throw new Error(`${framework} fixture did not start`);
  const { port } = JSON.parse(first.value) as { port: number };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const figures: Figures = {
    framework,
    sent: 0,
    completed2xx: 0,
    shed503: 0,
    failed: 0,
    sentBeforeSignal: 0,
    completedBeforeSignal: 0,
    slowSent: 0,
    slow2xx: 0,
    readiness503: 0,
    drainMs: 0,
    exitCode: null,
    serverHandled: 0,
    serverAnswered: 0,
  };
  let signalled = false;
  let stop = false;
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });

  async function client(): Promise<void> {
    while (!stop) {
      const before = !signalled;
      figures.sent++;
      if (before) figures.sentBeforeSignal++;
      try {
        const answer = await httpGet(port, '/work?ms=2', agent);
        if (answer.status >= 200 && answer.status < 300) {
          figures.completed2xx++;
          if (before) figures.completedBeforeSignal++;
        } else figures.shed503++;
      } catch {
        // Refused or reset before the server read the request: not accepted, and the server stopped accepting.
        figures.failed++;
        if (signalled) return;
      }
    }
  }
  const clients = Array.from({ length: 10 }, client);
  await sleep(800);

  const slowAgent = new Agent({ keepAlive: true });
  const slow = Array.from({ length: 3 }, () => {
    figures.slowSent++;
    figures.sent++;
    figures.sentBeforeSignal++;
    return httpGet(port, '/work?ms=1500', slowAgent).then(
      (answer) => {
        if (answer.status === 200) {
          figures.slow2xx++;
          figures.completed2xx++;
          figures.completedBeforeSignal++;
        }
      },
      () => {
        figures.failed++;
      },
    );
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
    const counts = JSON.parse(last.value) as { handled: number; answered: number };
    figures.serverHandled = counts.handled;
    figures.serverAnswered = counts.answered;
  }
  return figures;
}

describe('graceful shutdown under load (child process, loopback)', () => {
  it.each(['node', 'express', 'fastify'])(
    '%s: drains on SIGTERM without losing an accepted request',
    async (framework) => {
      const figures = await scenario(framework);
      console.log(`reliability ${JSON.stringify(figures)}`);
      expect(figures.exitCode).toBe(0);
      expect(figures.completedBeforeSignal).toBe(figures.sentBeforeSignal);
      expect(figures.slow2xx).toBe(figures.slowSent);
      expect(figures.readiness503).toBeGreaterThan(0);
      // Every request the app handled was answered and reached its client as a 2xx.
      expect(figures.serverAnswered).toBe(figures.serverHandled);
      expect(figures.completed2xx).toBe(figures.serverHandled);
      expect(figures.sent).toBe(figures.completed2xx + figures.shed503 + figures.failed);
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
