// A small pnpm workspace on disk: an app that depends on a built workspace library with a registry dependency.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes the fixture workspace into a fresh temp folder and returns its path. */
export function writeFixtureWorkspace(pnpmVersion: string): string {
  const root = mkdtempSync(join(tmpdir(), 'plinth-deploy-ws-'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'fixture-root',
      private: true,
      packageManager: `pnpm@${pnpmVersion}`,
    }),
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
    'packages/lib/package.json': JSON.stringify({
      name: '@fx/lib',
      version: '1.0.0',
      type: 'module',
      files: ['dist'],
      exports: { '.': './dist/index.js' },
      scripts: { build: 'node build.mjs' },
      dependencies: { ms: '^2.1.3' },
    }),
    'packages/lib/src/index.js': "import ms from 'ms';\nexport const uptime = () => ms(60000);\n",
    'packages/lib/build.mjs':
      "import { cpSync } from 'node:fs';\ncpSync('src', 'dist', { recursive: true });\n",
    'packages/devtool/package.json': JSON.stringify({
      name: '@fx/devtool',
      version: '1.0.0',
      main: 'index.js',
    }),
    'packages/devtool/index.js': 'module.exports = {};\n',
    'apps/app/package.json': JSON.stringify({
      name: '@fx/app',
      version: '1.0.0',
      private: true,
      type: 'module',
      scripts: { start: 'node src/main.js' },
      dependencies: { '@fx/lib': 'workspace:*' },
      devDependencies: { '@fx/devtool': 'workspace:*' },
    }),
    'apps/app/src/main.js': `import { createServer } from 'node:http';
import { uptime } from '@fx/lib';
const server = createServer((request, response) => {
  if (request.url === '/livez') response.end(JSON.stringify({ status: 'pass', uptime: uptime() }));
  else response.writeHead(404).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
