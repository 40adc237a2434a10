import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HttpError, isHttpError } from './errors.js';

const source = readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const codes = [...source.matchAll(/\| '([A-Z_]+)'/g)].map((match) => match[1] as string);

describe('error codes', () => {
  it('are unique', () => {
    expect(codes.length).toBeGreaterThan(15);
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
    expect(error.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('defaults its code to the status title in upper snake case and takes the user’s own codes', () => {
    expect(new HttpError(404).code).toBe('NOT_FOUND');
    expect(new HttpError(413).code).toBe('CONTENT_TOO_LARGE');
    expect(new HttpError(409, 'taken', { code: 'EMAIL_TAKEN' }).code).toBe('EMAIL_TAKEN');
  });

  it('is recognised by a registered brand, not by its name', () => {
    const otherBuild = Object.assign(Object.create({ [Symbol.for('@plinth/http.HttpError')]: true }), {
      status: 400,
    });
    expect(isHttpError(otherBuild)).toBe(true);
    expect(isHttpError(Object.assign(new Error('x'), { name: 'HttpError', status: 400 }))).toBe(false);
    expect(isHttpError(new Error('x'))).toBe(false);
  });
});
