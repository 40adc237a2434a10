// Which value wins when several sources set a variable, with real .env files in a temp directory.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envFileNames, loadConfig } from '../src/index.js';
import { tempDir } from './temp-dir.js';

const schema = z.object({
  FROM: z.string(),
  BASE: z.string().optional(),
  LOCAL: z.string().optional(),
  MODE: z.string().optional(),
});

const files = {
  '.env': 'FROM=.env\nBASE=base\n',
  '.env.local': 'FROM=.env.local\nLOCAL=local\n',
  '.env.production': 'FROM=.env.production\nMODE=production\n',
  '.env.production.local': 'FROM=.env.production.local\n',
  '.env.test': 'FROM=.env.test\nMODE=test\n',
};

describe('source precedence', () => {
  it('names the files in dotenv-flow order', () => {
    expect(envFileNames(undefined)).toEqual(['.env', '.env.local']);
    expect(envFileNames('production')).toEqual([
      '.env',
      '.env.local',
      '.env.production',
      '.env.production.local',
    ]);
    expect(envFileNames('test')).toEqual(['.env', '.env.test', '.env.test.local']);
  });

  it('lets .env.<NODE_ENV>.local win over .env.<NODE_ENV>, .env.local and .env', () => {
    const cwd = tempDir(files);
    expect(loadConfig({ schema, cwd, env: { NODE_ENV: 'production' } })).toEqual({
      FROM: '.env.production.local',
      BASE: 'base',
      LOCAL: 'local',
      MODE: 'production',
    });
  });

  it('lets the real environment win over every file', () => {
    const cwd = tempDir(files);
    expect(loadConfig({ schema, cwd, env: { NODE_ENV: 'production', FROM: 'environment' } }).FROM).toBe(
      'environment',
    );
  });

  it('lets an empty variable in the environment unset a file value, so the default applies', () => {
    const cwd = tempDir({ '.env': 'NAME=from-file\n' });
    const config = loadConfig({
      schema: z.object({ NAME: z.string().default('default') }),
      cwd,
      env: { NAME: '' },
    });
    expect(config.NAME).toBe('default');
  });

  it('skips .env.local when NODE_ENV is test', () => {
    const cwd = tempDir(files);
    expect(loadConfig({ schema, cwd, env: { NODE_ENV: 'test' } })).toEqual({
      FROM: '.env.test',
      BASE: 'base',
      MODE: 'test',
    });
  });

  it('reads only .env and .env.local without a NODE_ENV', () => {
    const cwd = tempDir(files);
    expect(loadConfig({ schema, cwd, env: {} }).FROM).toBe('.env.local');
  });

  it('takes NODE_ENV from the nodeEnv option over the environment', () => {
    const cwd = tempDir(files);
    expect(loadConfig({ schema, cwd, env: { NODE_ENV: 'production' }, nodeEnv: 'test' }).FROM).toBe(
      '.env.test',
    );
  });

  it('does not pick the files by a NODE_ENV set inside .env', () => {
    const cwd = tempDir({ ...files, '.env': 'FROM=.env\nNODE_ENV=production\n' });
    expect(loadConfig({ schema, cwd, env: {} }).FROM).toBe('.env.local');
  });

  it('reads an explicit list of files, later ones winning', () => {
    const cwd = tempDir({ 'a.env': 'FROM=a\nBASE=a\n', 'config/b.env': 'FROM=b\n' });
    expect(loadConfig({ schema, cwd, env: {}, envFiles: ['a.env', 'config/b.env', 'missing.env'] })).toEqual({
      FROM: 'b',
      BASE: 'a',
    });
  });

  it('reads no file with envFiles: false', () => {
    const cwd = tempDir(files);
    expect(() => loadConfig({ schema, cwd, env: {}, envFiles: false })).toThrow(ConfigError);
  });

  it('treats a missing directory or missing files as empty', () => {
    const config = loadConfig({ schema, cwd: '/nonexistent/plinth', env: { FROM: 'env' } });
    expect(config).toEqual({ FROM: 'env' });
  });

  it('fails with ERR_CONFIG_SOURCE when a .env path is unreadable', () => {
    const cwd = tempDir({ '.env/inside': 'x' });
    try {
      loadConfig({ schema, cwd, env: { FROM: 'env' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('ERR_CONFIG_SOURCE');
      expect((error as ConfigError).message).toContain('Cannot read .env');
      expect((error as ConfigError).message).toContain('EISDIR');
    }
  });

  it('names the file that set an invalid value', () => {
    const cwd = tempDir({ '.env': 'PORT=80\n', '.env.local': 'PORT=eighty\n' });
    expect(() => loadConfig({ schema: z.object({ PORT: z.number() }), cwd, env: {} })).toThrow(
      'PORT: expected number, received "eighty" from .env.local',
    );
  });

  it('reads process.env by default', () => {
    process.env.PLINTH_CONFIG_TEST_VALUE = '42';
    try {
      const config = loadConfig({
        schema: z.object({ PLINTH_CONFIG_TEST_VALUE: z.number() }),
        envFiles: false,
      });
      expect(config.PLINTH_CONFIG_TEST_VALUE).toBe(42);
    } finally {
      delete process.env.PLINTH_CONFIG_TEST_VALUE;
    }
  });
});
