// `pnpm test` runs under CI=true and builds every package; the `pnpm start` that follows (without CI)
// must find those builds in turbo's cache. When CI was a global env input, every build hash changed
// with it, and a newcomer's first `pnpm start` rebuilt all fifteen packages before it answered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');

function buildHashes(ci) {
  const env = { ...process.env };
  delete env.CI;
  if (ci !== undefined) env.CI = ci;
  // The workspace's own turbo, not a `pnpm` on PATH (fresh-check runs the tests through npx).
  const run = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--dry=json'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `turbo --dry=json failed: ${run.stderr}`);
  const plan = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  return new Map(plan.tasks.map((task) => [task.taskId, task.hash]));
}

test('a build made under CI=true is a cache hit for a build without CI', () => {
  const underCi = buildHashes('true');
  const plain = buildHashes(undefined);
  assert.ok(underCi.size >= 15, `expected every package's build in the plan, got ${underCi.size}`);
  for (const [task, hash] of underCi) assert.equal(plain.get(task), hash, `${task}'s hash depends on CI`);
});
