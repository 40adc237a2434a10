import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { createQuery } from './query.js';

describe('createQuery', () => {
  const query = createQuery('?tag=a&tag=b&page=3&ratio=0.5&flag&off=false&bad=x&__proto__=1');

  it('reads single and repeated values', () => {
    expect(query.get('tag')).toBe('a');
    expect(query.all('tag')).toEqual(['a', 'b']);
    expect(query.get('missing')).toBeUndefined();
    expect(query.has('flag')).toBe(true);
  });

  it('converts numbers, integers and booleans, undefined when absent', () => {
    expect(query.integer('page')).toBe(3);
    expect(query.number('ratio')).toBe(0.5);
    expect(query.boolean('flag')).toBe(true);
    expect(query.boolean('off')).toBe(false);
    expect(query.number('missing')).toBeUndefined();
  });

  it('answers 400 errors for malformed values', () => {
    for (const read of [
      () => query.integer('ratio'),
      () => query.number('bad'),
      () => query.boolean('bad'),
    ]) {
      expect(read).toThrow(HttpError);
      try {
        read();
      } catch (error) {
        expect((error as HttpError).status).toBe(400);
      }
    }
  });

  it('builds a null-prototype object with arrays for repeated keys', () => {
    const object = query.toObject();
    expect(object.tag).toEqual(['a', 'b']);
    expect(Object.getPrototypeOf(object)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
