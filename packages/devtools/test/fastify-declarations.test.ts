// The FastifySchema augmentation as users get it: a consumer importing @plinth/devtools/fastify from
// ESM (dist/fastify.d.ts) and from CommonJS (dist/fastify.d.cts) compiles an inline route schema with
// the OpenAPI members, and still fails on a misspelled one. Reads the build (turbo.json: test after build).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

// One statement a line, so each @ts-expect-error sits on the line before its error.
const consumer = `import { fastify } from 'fastify';
import { fastifyOpenApi } from '@plinth/devtools/fastify';

const app = fastify();
void app.register(fastifyOpenApi, {});
app.post('/login', { schema: { summary: 'Log in', security: [] } }, async () => ({}));
app.get('/notes', { schema: { description: 'All notes', tags: ['notes'], operationId: 'listNotes', deprecated: false, hide: false, security: [{ bearer: [] }] } }, async () => []);
// @ts-expect-error: a misspelled member is refused
app.post('/logout', { schema: { sumary: 'Log out' } }, async () => ({}));
`;

/** Type-checks `consumer` as a file of the package with this extension, alone in its program. */
function compile(file: string): ts.Program {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => (name === file ? consumer : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  return ts.createProgram([file], options, host);
}

// One program each: an augmentation read by either build would otherwise apply to both.
describe('the built declarations of @plinth/devtools/fastify', () => {
  it.each([
    ['ESM', 'consumer.mts', 'dist/fastify.d.ts', 'dist/fastify.d.cts'],
    ['CommonJS', 'consumer.cts', 'dist/fastify.d.cts', 'dist/fastify.d.ts'],
  ])(
    'augment FastifySchema for %s consumers (%s reads %s)',
    { timeout: 120_000 },
    (_format, name, declarations, other) => {
      const built = join(root, declarations);
      expect(
        existsSync(built),
        `${declarations} is missing: run pnpm --filter @plinth/devtools build first`,
      ).toBe(true);
      const program = compile(join(root, 'test', name));
      const read = program.getSourceFiles().map((source) => source.fileName);
      expect(read).toContain(built);
      expect(read).not.toContain(join(root, other));
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      expect(errors).toEqual([]);
    },
  );
});
