// The .env parsing rules of `node --env-file` (util.parseEnv), pinned as data in test/vectors/ and
// run through the loader users call.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envFileSource, loadConfig, type StandardSchemaV1 } from '../src/index.js';
import { tempDir } from './temp-dir.js';

interface Vector {
  name: string;
  input: string;
  expected: Record<string, string>;
  quirk?: boolean;
  loaderRule?: boolean;
  note?: string;
}

const file = JSON.parse(readFileSync(new URL('./vectors/env-file.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};
const onNode20 = process.versions.node.startsWith('20.');

// A schema that accepts any record, so the loader keeps every variable the file sets.
const anything: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate: (value) => ({ value: value as Record<string, unknown> }),
  },
};

describe('.env parsing vectors', () => {
  for (const vector of file.vectors) {
    const run = vector.quirk === true && !onNode20 ? it.skip : it;
    const note = vector.quirk
      ? ` (Node 20 quirk: ${vector.note})`
      : vector.loaderRule
        ? ' (loader rule)'
        : '';
    run(`${vector.name}${note}`, () => {
      if (vector.loaderRule) expect(parseEnv(vector.input)).not.toEqual(vector.expected);
      else expect(parseEnv(vector.input)).toEqual(vector.expected);
      const dir = tempDir({ '.env': vector.input });
      expect(envFileSource(join(dir, '.env')).load()).toEqual(vector.expected);
      const config = loadConfig({ schema: anything, cwd: dir, env: {}, emptyAsUnset: false });
      expect({ ...config }).toEqual(vector.expected);
    });
  }
});
