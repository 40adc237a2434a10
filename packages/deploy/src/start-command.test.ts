import { describe, expect, it } from 'vitest';
import { parseStartCommand } from './start-command.js';

describe('parseStartCommand', () => {
  it.each([
    ['node dist/main.js', ['node', 'dist/main.js']],
    ['  node   --enable-source-maps dist/main.js  ', ['node', '--enable-source-maps', 'dist/main.js']],
    [`node -e "console.log('hi there')"`, ['node', '-e', "console.log('hi there')"]],
    ["node --title 'my app' main.js", ['node', '--title', 'my app', 'main.js']],
    ['tsx src/main.ts', ['tsx', 'src/main.ts']],
  ])('splits %j into exec form', (script, expected) => {
    expect(parseStartCommand(script)).toEqual(expected);
  });

  it.each([
    'node a.js && node b.js',
    'node main.js | tee log',
    'node $ENTRY',
    'PORT=3000 node main.js',
    '   ',
  ])('refuses %j with ERR_DEPLOY_START_SCRIPT', (script) => {
    expect(() => parseStartCommand(script)).toThrowError(
      expect.objectContaining({ code: 'ERR_DEPLOY_START_SCRIPT' }),
    );
  });
});

describe('parseStartCommand with quotes', () => {
  it('refuses expansion inside double quotes', () => {
    expect(() => parseStartCommand('node -e "console.log($HOME)"')).toThrowError(
      expect.objectContaining({ code: 'ERR_DEPLOY_START_SCRIPT' }),
    );
  });
});
