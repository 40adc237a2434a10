import { describe, expect, it } from 'vitest';
import { isJsonMediaType } from './body.js';

describe('isJsonMediaType', () => {
  it('accepts JSON and +json types with a UTF-8 charset or none', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON; Charset="UTF-8"',
      'application/problem+json',
      'application/vnd.api+json;charset=utf8',
    ]) {
      expect(isJsonMediaType(type), type).toBe(true);
    }
  });

  it('refuses other types and other charsets', () => {
    for (const type of [
      'text/plain',
      'application/jsonx',
      'text/json',
      'application/json; charset=latin1',
      '',
    ]) {
      expect(isJsonMediaType(type), type).toBe(false);
    }
  });
});
