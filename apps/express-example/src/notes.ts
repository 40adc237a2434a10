// The notes themselves, as any Express app keeps them: a store (a Map here) and a router of its own.
import { randomUUID } from 'node:crypto';
import { describeRoute } from '@plinth/devtools/express';
import { NotFoundError } from '@plinth/observability';
import { validate } from '@plinth/validation/express';
import { type Request, Router } from 'express';
import { z } from 'zod';

export interface Note {
  id: string;
  title: string;
  text: string;
  createdAt: string;
}

/** Where notes live. The app ships a Map; a database would implement the same four methods. */
export interface NoteStore {
  list(): Promise<Note[]>;
  get(id: string): Promise<Note | undefined>;
  add(note: Note): Promise<void>;
  remove(id: string): Promise<boolean>;
}

export function memoryNotes(): NoteStore {
  const notes = new Map<string, Note>();
  return {
    list: async () => [...notes.values()],
    get: async (id) => notes.get(id),
    add: async (note) => void notes.set(note.id, note),
    remove: async (id) => notes.delete(id),
  };
}

/** POST /notes, declared once: read by the validator and by the OpenAPI document. */
export const createNote = {
  body: z.object({ title: z.string().trim().min(1).max(200), text: z.string().max(10_000).default('') }),
};

export function notesRouter(store: NoteStore): Router {
  const router = Router();
  const create = validate(createNote, { forwardErrors: true });
  const documented = describeRoute({ summary: 'Create a note', schema: createNote });

  const find = async (req: Request<{ id: string }>) => {
    const note = await store.get(req.params.id);
    if (note === undefined) throw new NotFoundError(`Note ${req.params.id} does not exist.`);
    return note;
  };

  router.get('/', async (_req, res) => {
    res.json(await store.list());
  });

  router.post('/', documented, create, async (req, res) => {
    const { title, text } = create.input(res).body;
    const note = { id: randomUUID(), title, text, createdAt: new Date().toISOString() };
    await store.add(note);
    res.status(201).location(`${req.baseUrl}/${note.id}`).json(note);
  });

  router.get('/:id', async (req, res) => {
    res.json(await find(req));
  });

  router.delete('/:id', async (req, res) => {
    await store.remove((await find(req)).id);
    res.status(204).end();
  });

  return router;
}
