// Keeps a README's "diff" honest: every hunk's new side (context and added lines) stands, line for
// line and in order, in the file it names, and each hunk's line counts match its header. Edit a shown
// line of src/ and this fails until the README shows it too. Both examples run it (test/readme.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Hunk {
  file: string;
  header: string;
  oldCount: number;
  newCount: number;
  oldLines: string[];
  newLines: string[];
}

function hunksOf(markdown: string): Hunk[] {
  const hunks: Hunk[] = [];
  for (const [, block] of markdown.matchAll(/```diff\n([\s\S]*?)```/g)) {
    let file = '';
    for (const line of block!.split('\n')) {
      if (line.startsWith('+++ ')) file = line.slice(4).replace(/^b\//, '');
      else if (line.startsWith('--- ')) continue;
      else if (line.startsWith('@@')) {
        const [, oldCount = '1', newCount = '1'] = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line) ?? [];
        hunks.push({
          file,
          header: line,
          oldCount: +oldCount,
          newCount: +newCount,
          oldLines: [],
          newLines: [],
        });
      } else if (line !== '' || hunks.length > 0) {
        const hunk = hunks.at(-1)!;
        const [mark, text] = [line[0] ?? ' ', line.slice(1)];
        if (mark !== '+') hunk.oldLines.push(text);
        if (mark !== '-') hunk.newLines.push(text);
      }
    }
  }
  // The empty line a block ends with is no context line.
  for (const hunk of hunks) {
    while (hunk.newLines.length > hunk.newCount && hunk.newLines.at(-1) === '') {
      hunk.newLines.pop();
      hunk.oldLines.pop();
    }
  }
  return hunks;
}

/** Checks the diff in `appDir`'s README.md against the files of `appDir` (a path ending in '/'). */
export function describeReadmeDiff(appDir: string): void {
  describe('README diff', () => {
    const hunks = hunksOf(readFileSync(`${appDir}README.md`, 'utf8'));

    it('shows src/app.ts, src/notes.ts, src/main.ts and the new src/accounts.ts', () => {
      expect([...new Set(hunks.map((hunk) => hunk.file))].sort()).toEqual([
        'src/accounts.ts',
        'src/app.ts',
        'src/main.ts',
        'src/notes.ts',
      ]);
    });

    it.each(hunks.map((hunk) => [`${hunk.file} ${hunk.header}`, hunk] as const))(
      '%s stands in the file as shown',
      (_name, hunk) => {
        expect(hunk.newLines.length, 'lines on the new side vs the header').toBe(hunk.newCount);
        expect(hunk.oldLines.length, 'lines on the old side vs the header').toBe(hunk.oldCount);
        const source = readFileSync(`${appDir}${hunk.file}`, 'utf8');
        const shown = hunk.newLines.join('\n');
        if (hunk.oldCount === 0)
          expect(`${shown}\n`).toBe(source); // a new file: all of it
        else expect(`\n${source}`).toContain(`\n${shown}\n`);
      },
    );
  });
}
