// Every changeset must parse as changesets reads it: front matter naming workspace packages and a bump,
// then a summary. (A formatter once turned a front matter into a heading, and the release would have
// dropped that change.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');
const folder = join(root, '.changeset');
const packages = new Set(
  readdirSync(join(root, 'packages')).map(
    (name) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).name,
  ),
);

for (const file of readdirSync(folder).filter((name) => name.endsWith('.md') && name !== 'README.md')) {
  test(`changeset ${file} names packages and bumps in its front matter`, () => {
    const text = readFileSync(join(folder, file), 'utf8');
    const match = /^---\n([\s\S]*?)\n---\n\n?([\s\S]*\S)/.exec(text);
    assert.ok(match, `${file} must start with a "---" front matter block followed by a summary`);
    const lines = (match[1] ?? '').split('\n').filter((line) => line.trim() !== '');
    assert.ok(lines.length > 0, `${file} names no package`);
    for (const line of lines) {
      const entry = /^["']?(@[\w-]+\/[\w-]+)["']?:\s*(major|minor|patch)$/.exec(line.trim());
      assert.ok(entry, `${file}: "${line}" is not "'<package>': major|minor|patch"`);
      assert.ok(packages.has(entry[1]), `${file}: ${entry[1]} is not a package of this workspace`);
    }
  });
}
