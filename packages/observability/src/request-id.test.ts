import { describe, expect, it } from 'vitest';
import { isValidRequestId, MAX_REQUEST_ID_LENGTH, randomRequestId, resolveRequestId } from './request-id.js';

describe('request ids', () => {
  it('accepts 1–128 characters of A-Z a-z 0-9 . _ : -', () => {
    expect(isValidRequestId('Root=1-67891233-abcdef012345678912345678')).toBe(false); // '=' is outside the charset
    expect(isValidRequestId('1-67891233-abcdef012345678912345678')).toBe(true);
    expect(isValidRequestId('svc:web.1_a-b')).toBe(true);
    expect(isValidRequestId('x'.repeat(MAX_REQUEST_ID_LENGTH))).toBe(true);
    expect(isValidRequestId('x'.repeat(MAX_REQUEST_ID_LENGTH + 1))).toBe(false);
    for (const bad of ['', ' ', 'a b', 'a\nb', 'a"b', '<script>', 'ümlaut', 'a/b', 'a,b']) {
      expect(isValidRequestId(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('generates UUID v4 ids that differ from each other', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => randomRequestId()));
    expect(ids.size).toBe(2000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps a valid incoming id and generates one otherwise', () => {
    expect(resolveRequestId('abc-1')).toBe('abc-1');
    expect(resolveRequestId('bad id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveRequestId(null)).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveRequestId(undefined, () => 'generated')).toBe('generated');
  });
});
