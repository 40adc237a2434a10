import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { createLogger } from './create-logger.js';
import { ObservabilityError } from './errors.js';

function collect(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes JSON lines with ISO time and the err serializer', () => {
    const { logger, lines } = captureLogger();
    logger.error({ err: new TypeError('bad thing') }, 'failed');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 50,
      msg: 'failed',
      err: { type: 'TypeError', message: 'bad thing' },
    });
    expect(String(line?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(String((line?.err as { stack?: string } | undefined)?.stack)).toContain('TypeError: bad thing');
  });

  it('serializes an error passed as the first argument, with its cause', () => {
    const { logger, lines } = captureLogger();
    logger.error(new Error('outer', { cause: new Error('inner') }));
    expect(lines()[0]).toMatchObject({ msg: 'outer', err: { type: 'Error', message: 'outer: inner' } });
  });

  it('redacts at any depth by default, in log objects and in child bindings', () => {
    const { logger, lines } = captureLogger();
    logger.info({
      request: { headers: { authorization: 'Bearer abc', 'x-api-key': 'k' } },
      list: [{ password: 'p' }],
    });
    logger
      .child({ browser: { cookie: 'sid=1' }, user: 'ann' })
      .child({ apiKey: 'k2' })
      .info('hello');
    const text = JSON.stringify(lines());
    for (const secret of ['Bearer abc', '"k"', '"p"', 'sid=1', 'k2']) expect(text).not.toContain(secret);
    expect(lines()[1]).toMatchObject({
      browser: { cookie: '[Redacted]' },
      user: 'ann',
      apiKey: '[Redacted]',
    });
  });

  it('redacts bindings added with setBindings', () => {
    const { logger, lines } = captureLogger();
    const child = logger.child({ a: 1 });
    child.setBindings({ token: 'leak' });
    child.info('x');
    expect(JSON.stringify(lines())).not.toContain('leak');
  });

  it('applies custom serializers before redacting their output', () => {
    const { logger, lines } = captureLogger({
      serializers: {
        req: (req: { url: string; headers: Record<string, string> }) => ({
          url: req.url,
          headers: req.headers,
        }),
      },
    });
    logger.info({ req: { url: '/a', headers: { cookie: 'c' }, socket: 'ignored' } });
    expect(lines()[0]?.req).toEqual({ url: '/a', headers: { cookie: '[Redacted]' } });
  });

  it('can turn redaction off', () => {
    const { logger, lines } = captureLogger({ redact: false });
    logger.info({ password: 'visible' });
    expect(lines()[0]?.password).toBe('visible');
  });

  it('takes the level from LOG_LEVEL, and the option over it', () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    expect(createLogger({ destination: { write: () => undefined } }).level).toBe('warn');
    expect(createLogger({ level: 'debug', destination: { write: () => undefined } }).level).toBe('debug');
  });

  it('rejects an unknown level with a message naming the valid ones', () => {
    vi.stubEnv('LOG_LEVEL', 'verbose');
    expect(() => createLogger()).toThrow(ObservabilityError);
    expect(() => createLogger()).toThrow(/"verbose" \(from LOG_LEVEL\) is not one of fatal, error/);
  });

  it('writes pretty lines through pino-pretty when asked', () => {
    const chunks: string[] = [];
    const logger = createLogger({ pretty: true, destination: collect(chunks) });
    logger.info({ password: 'hidden' }, 'pretty hello');
    const text = chunks.join('');
    expect(text).toContain('INFO');
    expect(text).toContain('pretty hello');
    expect(text).toContain('[Redacted]');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('is pretty by default when NODE_ENV=development', () => {
    vi.stubEnv('NODE_ENV', 'development');
    const chunks: string[] = [];
    createLogger({ destination: collect(chunks) }).info('dev line');
    expect(chunks.join('')).toMatch(/INFO.*dev line/);
  });
});
