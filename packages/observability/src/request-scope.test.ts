import { describe, expect, it } from 'vitest';
import { pathOf } from './request-scope.js';

describe('pathOf', () => {
  it.each([
    ['http://x.test/a/b?c=1#d', '/a/b'],
    ['http://x.test', '/'],
    ['http://x.test?q=1', '/'],
    ['http://x.test/#frag', '/'],
    ['/relative/path?token=1', '/relative/path'],
    ['https://user:pw@x.test:8443/p', '/p'],
  ])('%s → %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});
