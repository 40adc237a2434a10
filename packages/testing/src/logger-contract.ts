// The Logger seam's contract (pino's behaviour that Plinth packages rely on), run against pino and
// against recordingLogger(), so the double cannot drift from what it stands in for.
import { deepStrictEqual, equal, ok } from 'node:assert/strict';
import type { ContractTestApi } from './contract-api.js';

/** One logged line, normalized: `level` as a label, `msg`, fields; `err` with at least `message`. */
export type LoggedLine = Record<string, unknown> & { level: string; msg?: string };

/** A logger under test at level `info`, and the lines it has written so far. */
export interface LoggerFixture {
  logger: {
    info(...args: never[]): void;
    warn(...args: never[]): void;
    error(...args: never[]): void;
    debug(...args: never[]): void;
    child(bindings: Record<string, unknown>): LoggerFixture['logger'];
  };
  lines(): LoggedLine[];
}

type Log = (...args: unknown[]) => void;
const call = (logger: LoggerFixture['logger'], level: 'info' | 'warn' | 'error' | 'debug') =>
  logger[level].bind(logger) as unknown as Log;

/**
 * Registers the Logger contract cases; `make` returns a fresh logger at level `info`.
 *
 * @example
 * testLogger({ describe, it }, 'pino', () => pinoFixture());
 */
export function testLogger(
  api: ContractTestApi,
  name: string,
  make: () => LoggerFixture | Promise<LoggerFixture>,
): void {
  const pick = (line: LoggedLine | undefined, keys: string[]) =>
    Object.fromEntries(keys.map((key) => [key, line?.[key]]));
  api.describe(`Logger contract: ${name}`, () => {
    api.it('writes a message at its level', async () => {
      const { logger, lines } = await make();
      call(logger, 'info')('started');
      call(logger, 'warn')('slow');
      deepStrictEqual(
        lines().map((line) => pick(line, ['level', 'msg'])),
        [
          { level: 'info', msg: 'started' },
          { level: 'warn', msg: 'slow' },
        ],
      );
    });

    api.it('merges the object fields of (object, msg)', async () => {
      const { logger, lines } = await make();
      call(logger, 'info')({ userId: 7, route: '/users/:id' }, 'served');
      deepStrictEqual(pick(lines()[0], ['level', 'msg', 'userId', 'route']), {
        level: 'info',
        msg: 'served',
        userId: 7,
        route: '/users/:id',
      });
    });

    api.it('formats printf-style arguments', async () => {
      const { logger, lines } = await make();
      call(logger, 'info')('user %s took %d ms', 'ada', 12);
      equal(lines()[0]?.msg, 'user ada took 12 ms');
    });

    api.it('drops lines below its level', async () => {
      const { logger, lines } = await make();
      call(logger, 'debug')('hidden');
      call(logger, 'error')('shown');
      deepStrictEqual(
        lines().map((line) => line.msg),
        ['shown'],
      );
    });

    api.it('logs an Error under err, with its message', async () => {
      const { logger, lines } = await make();
      call(logger, 'error')(new Error('boom'));
      call(logger, 'error')({ err: new Error('bang') }, 'failed');
      const [first, second] = lines();
      equal((first?.err as { message?: string } | undefined)?.message, 'boom');
      equal(first?.msg, 'boom');
      equal((second?.err as { message?: string } | undefined)?.message, 'bang');
      equal(second?.msg, 'failed');
    });

    api.it(
      'child() adds bindings to every line, nested children merge, the parent is unchanged',
      async () => {
        const { logger, lines } = await make();
        const child = logger.child({ requestId: 'r1' });
        const grandchild = child.child({ job: 'mail' });
        call(child, 'info')('in child');
        call(grandchild, 'warn')('in grandchild');
        call(logger, 'info')('in parent');
        const [first, second, third] = lines();
        deepStrictEqual(pick(first, ['msg', 'requestId']), { msg: 'in child', requestId: 'r1' });
        deepStrictEqual(pick(second, ['msg', 'requestId', 'job']), {
          msg: 'in grandchild',
          requestId: 'r1',
          job: 'mail',
        });
        ok(third && !('requestId' in third), 'the parent logger carries no child bindings');
      },
    );
  });
}
