// The Express example in-process (real Express 5): the cases both examples share, then Express's own.
import { inject } from '@plinth/testing';
import { describe, expect, it } from 'vitest';
import { createAccounts, hashPassword } from '../src/accounts.js';
import { buildApp } from '../src/app.js';
import { memoryNotes } from '../src/notes.js';
import { describeNotesApi } from './suite/notes-api.js';

// express.json()'s default limit: 100 kB.
const { setup } = describeNotesApi({
  createAccounts,
  hashPassword,
  memoryNotes,
  buildApp,
  bodyLimit: 102_400,
});

describe('Express', () => {
  it('sends no X-Powered-By (expressSecureHeaders removes it)', async () => {
    const { app } = await setup();
    expect((await inject(app, '/')).headers.get('x-powered-by')).toBeNull();
  });
});
