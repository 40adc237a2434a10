import { describe, expect, it } from 'vitest';
import { createCursorCodec } from './cursor.js';
import { DbError, InvalidCursorError } from './errors.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const codec = createCursorCodec(secret);

function editedError(cursor: string, sort = 'rank,id asc'): InvalidCursorError {
  try {
    codec.decode(cursor, sort);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCursorError);
    return error as InvalidCursorError;
  }
  throw new Error('decode accepted the cursor');
}

describe('cursor codec', () => {
  it('round-trips strings, numbers, booleans, null, dates and bigints', () => {
    const values = ['a', 3, true, null, new Date('2030-01-02T03:04:05.678Z'), 12345678901234567890n];
    const cursor = codec.encode({ sort: 'rank,id asc', values });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor, 'rank,id asc')).toEqual({ sort: 'rank,id asc', values });
  });

  it('rejects an edited payload as a 400 INVALID_CURSOR that says what to do', () => {
    const cursor = codec.encode({ sort: 'rank,id asc', values: [5, 10] });
    const [payload, tag] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['rank,id asc', [5, 11]])).toString('base64url');
    const error = editedError(`${forged}.${tag}`);
    expect(error).toMatchObject({ status: 400, expose: true, code: 'INVALID_CURSOR' });
    expect(error.message).toContain('edited');
    expect(error.message).toContain('omit it');
    expect(payload).not.toBe(forged);
  });

  it('rejects a cursor signed with another secret', () => {
    const other = createCursorCodec('another-secret-of-at-least-32-bytes!');
    editedError(other.encode({ sort: 'rank,id asc', values: [1, 1] }));
  });

  it('rejects truncated and malformed cursors', () => {
    const cursor = codec.encode({ sort: 'rank,id asc', values: [1, 1] });
    for (const bad of ['', 'abc', cursor.slice(0, -2), `${cursor}.x`, 'a'.repeat(5000)]) editedError(bad);
  });

  it('rejects a cursor made for another sort', () => {
    const cursor = codec.encode({ sort: 'rank,id desc', values: [1, 1] });
    expect(editedError(cursor, 'rank,id asc').message).toContain('rank,id desc');
  });

  it('refuses a secret shorter than 32 bytes when created', () => {
    expect(() => createCursorCodec('short')).toThrow(DbError);
    expect(() => createCursorCodec('short')).toThrow(/openssl rand/);
  });
});
