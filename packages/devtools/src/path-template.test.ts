import { describe, expect, it } from 'vitest';
import vectors from '../test/vectors/path-templates.json' with { type: 'json' };
import { toPathTemplates } from './path-template.js';

interface Vector {
  pattern: string;
  templates?: string[];
  parameters?: string[][];
  keys?: string[][];
  error?: string;
}

describe('toPathTemplates', () => {
  for (const vector of vectors as Vector[]) {
    if (vector.error !== undefined) {
      it(`refuses ${vector.pattern} with ${vector.error}`, () => {
        expect(() => toPathTemplates(vector.pattern)).toThrow(
          expect.objectContaining({ code: vector.error }),
        );
      });
    } else {
      it(`turns ${vector.pattern} into ${vector.templates!.join(' and ')}`, () => {
        const templates = toPathTemplates(vector.pattern);
        expect(templates.map((template) => template.template)).toEqual(vector.templates);
        expect(templates.map((template) => template.parameters.map((parameter) => parameter.name))).toEqual(
          vector.parameters,
        );
        if (vector.keys !== undefined) {
          expect(templates.map((template) => template.parameters.map((parameter) => parameter.key))).toEqual(
            vector.keys,
          );
        }
      });
    }
  }
});
