import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString, jsonStringContent } from './json-string.js';

// Any UTF-16 code unit, lone surrogates included: what a JavaScript string can hold.
const codeUnitString = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 })
  .map((units) => String.fromCharCode(...units));
const surrogateHeavy = fc
  .array(fc.constantFrom(0xd800, 0xdbff, 0xdc00, 0xdfff, 0x22, 0x5c, 0x1f, 0x41, 0x2028), { maxLength: 60 })
  .map((units) => String.fromCharCode(...units));

describe('jsonString', () => {
  it('writes exactly what JSON.stringify writes, for any code units (lone surrogates included)', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnitString, surrogateHeavy, fc.string({ unit: 'binary' })), (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes long strings (the regex path) exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(
        codeUnitString.map((text) => `${'x'.repeat(50)}${text}`),
        (text) => {
          expect(jsonString(text)).toBe(JSON.stringify(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('escapes a lone surrogate as \\u escapes, keeping a valid pair as is', () => {
    expect(jsonString('a\ud800b')).toBe('"a\\ud800b"');
    expect(jsonString('\udfff')).toBe('"\\udfff"');
    expect(jsonString('😀')).toBe('"😀"');
  });

  it('gives what goes between the quotes, the string itself when nothing needs escaping', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          codeUnitString,
          surrogateHeavy,
          codeUnitString.map((text) => `${'y'.repeat(45)}${text}`),
        ),
        (text) => {
          expect(jsonStringContent(text)).toBe(JSON.stringify(text).slice(1, -1));
        },
      ),
      { numRuns: 3000 },
    );
    const clean = 'Ada Lovelace, Zürich 😀';
    expect(jsonStringContent(clean)).toBe(clean);
    expect(jsonStringContent('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
  });
});
