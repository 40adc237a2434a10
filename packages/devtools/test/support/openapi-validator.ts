// Every document a test produces goes through a real OpenAPI 3.1 validator (@readme/openapi-parser).
import { compileErrors, validate } from '@readme/openapi-parser';
import { expect } from 'vitest';

/** Fails the test with the validator's own messages unless `document` is valid OpenAPI. */
export async function expectValidOpenApi(document: unknown): Promise<void> {
  // validate() dereferences in place: hand it a copy so the test still sees the $refs.
  const result = await validate(structuredClone(document) as never);
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
}
