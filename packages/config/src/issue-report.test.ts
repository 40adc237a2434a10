import { describe, expect, it } from 'vitest';
import { formatReceived, invalidConfigError, isUnprintable, scrubMessage } from './issue-report.js';

describe('formatReceived', () => {
  it('quotes and truncates at 40 characters', () => {
    expect(formatReceived('abc')).toBe('"abc"');
    expect(formatReceived('y'.repeat(41))).toBe(`"${'y'.repeat(40)}…"`);
  });

  it('masks the password of a URL', () => {
    expect(formatReceived('redis://:hunter2@cache:6379')).toBe('"redis://:***@cache:6379"');
    expect(formatReceived('https://example.com/a')).toBe('"https://example.com/a"');
  });
});

describe('scrubMessage', () => {
  it('replaces every occurrence of the value', () => {
    expect(scrubMessage('got abcd and abcd', 'abcd')).toBe('got [redacted] and [redacted]');
  });

  it('drops a message that quotes a value too short to replace safely', () => {
    expect(scrubMessage('expected "ab" to be longer', 'ab')).toBe('rejected by the schema');
  });

  it('leaves a message without the value alone', () => {
    expect(scrubMessage('Too small', 'secret-value')).toBe('Too small');
    expect(scrubMessage('Too small', undefined)).toBe('Too small');
  });
});

describe('isUnprintable', () => {
  it.each([
    'DB_PASSWORD',
    'JWT_SECRET',
    'GITHUB_TOKEN',
    'STRIPE_API_KEY',
    'AWS_ACCESS_KEY_ID',
    'PRIVATE_PEM',
  ])('hides %s by its name', (key) => {
    expect(isUnprintable(key, false)).toBe(true);
  });

  it('shows ordinary names unless marked secret', () => {
    expect(isUnprintable('PORT', false)).toBe(false);
    expect(isUnprintable('PORT', true)).toBe(true);
  });
});

describe('invalidConfigError', () => {
  it('sorts issues by name and counts missing and invalid ones', () => {
    const error = invalidConfigError([
      {
        key: 'B',
        kind: 'invalid',
        expected: 'number',
        message: 'not a number',
        received: '"x"',
        source: '.env',
        secret: false,
      },
      { key: 'A', kind: 'missing', expected: 'string', message: 'Required', secret: false },
      {
        key: 'C',
        kind: 'invalid',
        expected: 'string',
        message: 'too short',
        source: 'environment',
        secret: true,
      },
    ]);
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.message).toBe(
      [
        'Invalid configuration (1 missing, 2 invalid):',
        '  - A: missing; expected string',
        '  - B: expected number, received "x" from .env: not a number',
        '  - C: expected string, value hidden (secret, from environment): too short',
        'Set these variables in the environment, a .env file or a secret file (see .env.example).',
      ].join('\n'),
    );
    expect(error.issues.map((issue) => issue.key)).toEqual(['A', 'B', 'C']);
  });
});
