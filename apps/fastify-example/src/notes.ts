// The notes themselves, as any Fastify app keeps them: a store (a Map here) and a plugin of routes.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@plinth/observability';
import { type StandardSchemaProvider, validation } from '@plinth/validation/fastify';
import type { FastifyPluginAsync } from 'fastify';
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

/** POST /notes: Fastify's route schema, with zod; read by the validator and by the OpenAPI document. */
export const createNote = {
  summary: 'Create a note',
  body: z.object({ title: z.string().trim().min(1).max(200), text: z.string().max(10_000).default('') }),
};

type ById = { Params: { id: string } };

export const notesRoutes: FastifyPluginAsync<{ store: NoteStore }> = async (fastify, { store }) => {
  fastify.addHook('onRequest', fastify.authenticate);
  await fastify.register(validation, { forwardErrors: true });
  const typed = fastify.withTypeProvider<StandardSchemaProvider>(); // request.body typed by the zod schema

  const find = async (id: string) => {
    const note = await store.get(id);
    if (note === undefined) throw new NotFoundError(`Note ${id} does not exist.`);
    return note;
  };

  fastify.get('/', async () => store.list());

  typed.post('/', { schema: createNote }, async (request, reply) => {
    const note = { id: randomUUID(), ...request.body, createdAt: new Date().toISOString() };
    await store.add(note);
    return reply.code(201).header('location', `${fastify.prefix}/${note.id}`).send(note);
  });

  fastify.get<ById>('/:id', async (request) => find(request.params.id));

  fastify.delete<ById>('/:id', async (request, reply) => {
    await store.remove((await find(request.params.id)).id);
    return reply.code(204).send();
  });
};
