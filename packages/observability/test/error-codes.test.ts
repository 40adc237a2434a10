// Every error code is unique and documented in the README's error code table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { observabilityErrorCodes } from '../src/errors.js';
import { defaultCode } from '../src/status.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const httpStatuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];

describe('error codes', () => {
  it('are unique', () => {
    expect(new Set(observabilityErrorCodes).size).toBe(observabilityErrorCodes.length);
    const httpCodes = httpStatuses.map(defaultCode);
    expect(new Set(httpCodes).size).toBe(httpCodes.length);
  });

  it.each([...observabilityErrorCodes, ...httpStatuses.map(defaultCode)])(
    '%s is listed in the README',
    (code) => {
      expect(readme).toContain(`\`${code}\``);
    },
  );
});
