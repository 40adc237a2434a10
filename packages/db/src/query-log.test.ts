import { describe, expect, it } from 'vitest';
import { statementName } from './query-log.js';

describe('statementName', () => {
  it.each([
    ['select "id", "name" from "users" where "users"."id" = $1', 'select users'],
    ['insert into "users" ("id") values ($1)', 'insert users'],
    ['update "public"."users" set "name" = $1', 'update public.users'],
    ['delete from users where id = $1', 'delete users'],
    ['with recent as (select * from "posts") select * from recent', 'select posts'],
    ['select 1', 'select'],
    ['set transaction isolation level serializable', 'set'],
  ])('names %s as %s', (sql, name) => {
    expect(statementName(sql)).toBe(name);
  });
});
