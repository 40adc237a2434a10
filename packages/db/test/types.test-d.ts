// One database type for both engines, typed by the schema; helpers keep the row types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ConstraintViolationError,
  createCursorCodec,
  createDatabase,
  type DatabaseCheck,
  keysetPage,
  offsetPage,
  runTransaction,
} from '../src/index.js';
import * as schema from './fixtures/schema.js';

describe('types', () => {
  it('types the database by its schema, the same for postgres.js and PGlite', async () => {
    const onServer = await createDatabase({ url: 'postgres://localhost/app', schema });
    const embedded = await createDatabase({ schema });
    expectTypeOf(onServer).toEqualTypeOf(embedded);
    const author = await onServer.query.authors.findFirst();
    expectTypeOf(author).toEqualTypeOf<{ id: number; email: string; name: string } | undefined>();
    expectTypeOf(onServer.health()).toEqualTypeOf<DatabaseCheck>();
    expectTypeOf(onServer.health().run).parameters.toEqualTypeOf<[AbortSignal]>();
    expectTypeOf(onServer[Symbol.asyncDispose]).returns.toEqualTypeOf<Promise<void>>();
  });

  it('keeps row types through pagination and transactions', async () => {
    const db = await createDatabase({ schema });
    const codec = createCursorCodec('x'.repeat(32));
    const page = await keysetPage(db, { from: schema.items, key: schema.items.id, codec });
    expectTypeOf(page.items[0]!.createdAt).toEqualTypeOf<Date>();
    expectTypeOf(page.nextCursor).toEqualTypeOf<string | null>();
    const numbered = await offsetPage(db, { from: schema.authors, key: schema.authors.id });
    expectTypeOf(numbered.items[0]!.email).toEqualTypeOf<string>();
    const result = await runTransaction(db, async (tx) => (await tx.select().from(schema.authors))[0]!.id);
    expectTypeOf(result).toEqualTypeOf<number>();
  });

  it('narrows constraint errors by kind', () => {
    expectTypeOf<ConstraintViolationError['kind']>().toEqualTypeOf<
      'unique' | 'foreign-key' | 'not-null' | 'check' | 'exclusion'
    >();
    expectTypeOf<ConstraintViolationError['status']>().toEqualTypeOf<number>();
  });
});
