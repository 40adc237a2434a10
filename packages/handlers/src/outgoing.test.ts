import { describe, expect, it } from 'vitest';
import { utf8Length } from './outgoing.js';

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['plain ascii', 11],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀é€', 10],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['\ud83d\ud83d\ude00', 7],
  ])('counts %j as TextEncoder does', (text, expected) => {
    expect(utf8Length(text)).toBe(expected);
    expect(new TextEncoder().encode(text).byteLength).toBe(expected);
  });
});
