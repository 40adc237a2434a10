// The public surface, as a reviewed list: a change of the API shows up here.

import { describe, expect, it } from 'vitest';
import * as entry from '../src/index.js';

describe('entry points', () => {
  it('@plinth/config exports exactly these names', () => {
    expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
      [
        "ConfigError",
        "configErrorCodes",
        "defineConfig",
        "env",
        "envFileNames",
        "envFileSource",
        "generateExample",
        "isConfigError",
        "loadConfig",
        "loadConfigAsync",
        "parseDuration",
        "processEnvSource",
        "readSecretFile",
        "secret",
        "secretFileVariable",
        "secretsDirSource",
      ]
    `);
  });
});
