// The Fastify example in-process (real Fastify 5): the cases both examples share (kept in the Express
// example's test/suite), then Fastify's own.
import { setDefaultLogger } from '@plinth/observability';
import { inject } from '@plinth/testing';
import { describe, expect, it } from 'vitest';
import { describeNotesApi, problemOf } from '../../express-example/test/suite/notes-api.js';
import { createAccounts, hashPassword } from '../src/accounts.js';
import { buildApp } from '../src/app.js';
import { memoryNotes } from '../src/notes.js';

// @plinth/validation's body parser limit in the notes routes: 1 MiB.
const { setup } = describeNotesApi({
  createAccounts,
  hashPassword,
  memoryNotes,
  buildApp,
  bodyLimit: 1_048_576,
});

describe('Fastify', () => {
  it("answers ajv's failures on POST /login (a JSON Schema) as 400 problem+json with a pointer", async () => {
    const response = await inject((await setup()).app, { url: '/login', json: { username: 'ada' } });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((error) => error.pointer)).toEqual(['/password']);
  });

  it('documents the JSON Schema of POST /login beside the zod one of POST /notes', async () => {
    const document = (await (await inject((await setup()).app, '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(document.paths['/login']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { required: ['username', 'password'] } } },
    });
  });

  it("answers a URL Fastify's router cannot decode as problem+json, logged by the default logger", async () => {
    const { app, logger } = await setup();
    setDefaultLogger(logger); // as src/main.ts does: Fastify answers these before any hook runs
    const response = await inject(app, '/notes/%zz');
    expect(response.status).toBe(400);
    const id = response.headers.get('x-request-id');
    expect(await problemOf(response)).toMatchObject({ code: 'MALFORMED_URL', requestId: id });
    expect(logger.find('warn').map((entry) => entry.requestId)).toEqual([id]);
  });
});
