import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseLines, startFixture } from './child-process.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error('request timed out')));
  });
}

async function crashDuringSlowRequest(mode: string) {
  const child = startFixture('fatal-app.ts', { args: [mode] });
  const { port } = (await child.waitFor('port')) as { port: number };
  const slow = get(port, '/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const trigger = await get(port, '/boom');
  const slowResult = await slow.then(
    (result) => result,
    (error: Error) => ({ status: 0, body: error.message }),
  );
  const code = await child.exited;
  return { child, trigger, slowResult, code, lines: parseLines(child.stdout()) };
}

describe('installProcessHandlers (in a real child process)', () => {
  it.each([
    ['rejection', 'unhandledRejection', 'rejected with nobody listening'],
    ['exception', 'uncaughtException', 'kaboom from a timer'],
  ])(
    'logs the %s at fatal and lets the in-flight request finish before exiting 1',
    async (mode, event, message) => {
      const { trigger, slowResult, code, lines } = await crashDuringSlowRequest(mode);
      expect(trigger.body).toBe('triggered');
      expect(slowResult).toEqual({ status: 200, body: 'finished' });
      expect(code).toBe(1);
      expect(lines.find((line) => line.level === 60)).toMatchObject({ event, err: { message } });
    },
  );

  it('exits at once after logging when no onFatal is given, as Node would', async () => {
    const { slowResult, code, lines } = await crashDuringSlowRequest('no-shutdown');
    expect(code).toBe(1);
    expect(slowResult.status).toBe(0);
    expect(lines.some((line) => line.level === 60)).toBe(true);
  });

  it('exits after timeoutMs when the shutdown hangs', async () => {
    const { code, lines } = await crashDuringSlowRequest('hang');
    expect(code).toBe(1);
    expect(lines.find((line) => line.msg === 'graceful shutdown timed out; exiting')).toMatchObject({
      timeoutMs: 400,
    });
  });
});
