import { PGlite } from '@electric-sql/pglite';

let t = performance.now();
const pg = await PGlite.create();
console.log('start', performance.now() - t);
await pg.exec(
  `create table a (id int primary key, email text unique, n int not null check (n > 0)); create table b (id int primary key, a_id int references a(id))`,
);
for (const q of [
  `insert into a values (1,'x',1)`,
  `insert into a values (2,'x',1)`,
  `insert into a values (3,'y',null)`,
  `insert into a values (4,'z',-1)`,
  `insert into b values (1, 99)`,
]) {
  try {
    await pg.query(q);
  } catch (e) {
    console.log(e.constructor.name, Object.fromEntries(Object.entries(e)));
  }
}
t = performance.now();
const blob = await pg.dumpDataDir('gzip');
console.log('dump', performance.now() - t, blob.size);
t = performance.now();
const pg2 = await PGlite.create({ loadDataDir: blob });
console.log('load', performance.now() - t, (await pg2.query('select count(*) from a')).rows);
