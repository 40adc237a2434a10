import { describe, expect, it } from 'vitest';
import { diffDocuments, formatDifferences } from './document-diff.js';

describe('diffDocuments', () => {
  it('finds nothing between equal documents whatever their key order', () => {
    expect(diffDocuments({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('reports added, removed and changed members by JSON Pointer, escaping ~ and /', () => {
    const committed = {
      paths: { '/users': { get: { summary: 'old' } }, '/gone': {} },
      'a~b': 1,
      list: [1, 2, 3],
    };
    const generated = { paths: { '/users': { get: { summary: 'new' }, post: {} } }, 'a~b': 2, list: [1, 5] };
    expect(diffDocuments(committed, generated)).toEqual([
      { pointer: '/paths/~1users/get/summary', kind: 'changed', committed: 'old', generated: 'new' },
      { pointer: '/paths/~1users/post', kind: 'added', generated: {} },
      { pointer: '/paths/~1gone', kind: 'removed', committed: {} },
      { pointer: '/a~0b', kind: 'changed', committed: 1, generated: 2 },
      { pointer: '/list/1', kind: 'changed', committed: 2, generated: 5 },
      { pointer: '/list/2', kind: 'removed', committed: 3 },
    ]);
  });

  it('treats a change of type as one change', () => {
    expect(diffDocuments({ a: [1] }, { a: { 0: 1 } })).toEqual([
      { pointer: '/a', kind: 'changed', committed: [1], generated: { 0: 1 } },
    ]);
  });
});

describe('formatDifferences', () => {
  it('prints one line per difference and cuts long lists and values', () => {
    const differences = Array.from({ length: 3 }, (_, index) => ({
      pointer: `/x/${index}`,
      kind: 'added' as const,
      generated: 'y'.repeat(200),
    }));
    const text = formatDifferences(differences, 2);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain(`+ /x/0: "${'y'.repeat(96)}...`);
    expect(text.endsWith('… and 1 more')).toBe(true);
  });
});
