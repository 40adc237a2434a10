import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HttpError, isHttpError, statusTitle } from './errors.js';

const source = readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const codes = [...source.matchAll(/\| '(ERR_HTTP_[A-Z_]+)'/g)].map((match) => match[1] as string);

describe('error codes', () => {
  it('are unique', () => {
    expect(codes.length).toBeGreaterThan(10);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(codes)('%s is listed in the README error table', (code) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${code}\`\\s*\\|`, 'm'));
  });
});

describe('HttpError', () => {
  it('exposes messages below 500 and hides them from 500', () => {
    expect(new HttpError(404).expose).toBe(true);
    expect(new HttpError(404).message).toBe('Not Found');
    expect(new HttpError(502, 'db down').expose).toBe(false);
    expect(new HttpError(500, 'x', { expose: true }).expose).toBe(true);
  });

  it('turns an invalid status into 500 and keeps the cause', () => {
    const cause = new Error('root');
    const error = new HttpError(200, 'odd', { cause });
    expect(error.status).toBe(500);
    expect(error.cause).toBe(cause);
    expect(error.code).toBe('ERR_HTTP_STATUS');
  });

  it('is recognised across copies of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'HttpError',
      status: 400,
      code: 'ERR_HTTP_STATUS',
    });
    expect(isHttpError(foreign)).toBe(true);
    expect(isHttpError(new Error('x'))).toBe(false);
    expect(statusTitle(418)).toBe('Client Error');
  });
});
