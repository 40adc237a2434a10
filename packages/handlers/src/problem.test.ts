import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemOf, problemResponse } from './problem.js';

interface Vector {
  name: string;
  error: unknown;
  body: Record<string, unknown>;
}

const vectors = JSON.parse(
  readFileSync(new URL('../test/vectors/problem.json', import.meta.url), 'utf8'),
) as Vector[];

describe('problem+json from any thrown value (SEAMS §B)', () => {
  it.each(vectors)('$name', ({ error, body }) => {
    const made = problemOf(error).body;
    expect(made).toEqual(body);
    // Member order is part of the seam: type, title, status, detail, code, errors.
    expect(Object.keys(made)).toEqual(Object.keys(body));
  });

  it('sends the error headers except content-type and content-length', () => {
    const outgoing = problemResponse({
      status: 405,
      headers: { Allow: 'GET, HEAD', 'Content-Type': 'text/html', 'content-length': '1', retry: 5 },
    });
    expect(outgoing.headers).toEqual({ allow: 'GET, HEAD', 'content-type': 'application/problem+json' });
    expect(outgoing.status).toBe(405);
  });
});
