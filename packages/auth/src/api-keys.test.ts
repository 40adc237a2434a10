import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createApiKeys, type StoredApiKey } from './api-keys.js';

vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

function setup() {
  const stored = new Map<string, StoredApiKey>();
  const apiKeys = createApiKeys({ prefix: 'acme_live', find: (id) => stored.get(id) });
  return { stored, apiKeys };
}

describe('createApiKeys', () => {
  it('issues prefixed random keys and stores only a hash', () => {
    const { apiKeys } = setup();
    const issued = apiKeys.issue();
    expect(issued.key).toMatch(/^acme_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(issued.key).toContain(issued.id);
    expect(issued.hash).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(issued.hash).not.toContain(issued.key.slice(-43));
    expect(apiKeys.issue().key).not.toBe(issued.key);
  });

  it('verifies a stored key to its principal, and refuses a changed secret', async () => {
    const { stored, apiKeys } = setup();
    const { key, id, hash } = apiKeys.issue();
    stored.set(id, {
      hash,
      principal: { id: 'svc', roles: [], permissions: ['reports:read'], attributes: {} },
    });
    expect(await apiKeys.verify(key)).toMatchObject({ id: 'svc', via: 'api-key' });
    expect(await apiKeys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await apiKeys.verify(key.replace('acme_live', 'acme_test'))).toBeUndefined();
    expect(await apiKeys.verify('acme_live_nothex')).toBeUndefined();
  });

  it('compares in constant time whether the id exists or not', async () => {
    const { stored, apiKeys } = setup();
    const { key, id, hash } = apiKeys.issue();
    stored.set(id, { hash, principal: { id: 'svc', roles: [], permissions: [], attributes: {} } });
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    await apiKeys.verify(`${key.slice(0, -2)}zz`);
    await apiKeys.verify(apiKeys.issue().key); // unknown id
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls)
      expect([(a as Buffer).byteLength, (b as Buffer).byteLength]).toEqual([32, 32]);
  });

  it('refuses a bad prefix at start', () => {
    expect(() => createApiKeys({ prefix: 'a-b', find: () => undefined })).toThrow(/prefix must be/);
  });
});
