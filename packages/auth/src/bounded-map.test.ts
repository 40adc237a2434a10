import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('never holds more than max entries, and keeps the last max / 2 set', () => {
    const map = new BoundedMap<number, number>(10);
    for (let key = 0; key < 1000; key++) {
      map.set(key, key * 2);
      expect(map.size).toBeLessThanOrEqual(10);
    }
    for (let key = 995; key < 1000; key++) expect(map.get(key)).toBe(key * 2);
    expect(map.get(0)).toBeUndefined();
  });

  it('answers from the old generation, and a key set again lives in one place only', () => {
    const map = new BoundedMap<string, string>(4);
    map.set('a', '1');
    map.set('b', '2');
    map.set('c', '3'); // a and b are now the old generation
    expect(map.get('a')).toBe('1');
    map.set('a', '4');
    expect(map.get('a')).toBe('4');
    expect(map.size).toBe(3);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    map.clear();
    expect(map.size).toBe(0);
  });
});
