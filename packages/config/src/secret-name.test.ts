import { describe, expect, it } from 'vitest';
import { isSecretName } from './secret-name.js';

describe('isSecretName (the shared redaction rule)', () => {
  it.each([
    'DB_PASSWORD',
    'db-passwd',
    'CLIENT_SECRET',
    'PRIVATE_KEY_PEM',
    'AWS_CREDENTIALS',
    'GITHUB_TOKEN',
    'API_KEY',
    'api.key',
    'Api-Key',
    'SESSION_KEY',
    'PASS_WORD',
    'S.E.C.R.E.T',
  ])('treats %s as secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'NODE_ENV', 'HOST', 'PASS', 'TOKE'])(
    'treats %s as not secret',
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );
});
