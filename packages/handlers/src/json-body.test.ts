import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RequestError } from './errors.js';
import { readJsonBody } from './json-body.js';

function source(body: string | Uint8Array, headers: Record<string, string> = {}) {
  const stream = Readable.from([typeof body === 'string' ? Buffer.from(body) : body]);
  return Object.assign(stream, {
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    },
  });
}

async function failure(
  body: string | Uint8Array,
  headers?: Record<string, string>,
  limit = 1024,
): Promise<RequestError> {
  try {
    await readJsonBody(source(body, headers), limit);
  } catch (error) {
    return error as RequestError;
  }
  throw new Error('expected a refusal');
}

describe('JSON bodies read by the Express binding', () => {
  it('parses JSON of any +json type', async () => {
    expect(
      await readJsonBody(source('{"a":[1,2]}', { 'content-type': 'application/merge-patch+json' }), 100),
    ).toEqual({ a: [1, 2] });
  });

  it('reads no body as undefined', async () => {
    expect(await readJsonBody(Object.assign(Readable.from([]), { headers: {} }), 100)).toBeUndefined();
  });

  it.each([
    ['{"__proto__":{"admin":true}}', '__proto__'],
    ['{"a":[{"constructor":{"prototype":{}}}]}', 'constructor'],
    ['{"\\u005f_proto__":1}', '__proto__'],
  ])('refuses the prototype key in %s', async (body, key) => {
    const error = await failure(body);
    expect(error).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
    expect(error.message).toBe(`The JSON body contains a forbidden "${key}" key.`);
  });

  it('keeps those words as values and inside longer keys', async () => {
    expect(await readJsonBody(source('{"name":"__proto__","constructorName":"prototype"}'), 100)).toEqual({
      name: '__proto__',
      constructorName: 'prototype',
    });
  });

  it('refuses nesting deeper than 64 levels, counting outside strings', async () => {
    expect((await failure(`${'['.repeat(65)}${']'.repeat(65)}`)).message).toContain('deeper than 64');
    const inString = `{"a":"${'['.repeat(200)}"}`;
    expect(await readJsonBody(source(inString), 1024)).toEqual({ a: '['.repeat(200) });
  });

  it('answers 413 over the limit, from Content-Length or while reading', async () => {
    expect(await failure('[1,2,3]', {}, 3)).toMatchObject({ status: 413, code: 'CONTENT_TOO_LARGE' });
    expect(await failure('[1,2,3]', { 'content-length': '' }, 3)).toMatchObject({ status: 413 });
  });

  it('answers 415 for other media types and 400 for invalid UTF-8, empty or bad JSON', async () => {
    expect(await failure('a=1', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect((await failure(new Uint8Array([0x22, 0xc3, 0x28, 0x22]))).message).toBe(
      'The request body is not valid UTF-8.',
    );
    expect((await failure('  ')).message).toContain('empty');
    expect((await failure('{"a":')).message).toContain('not valid JSON');
  });
});
