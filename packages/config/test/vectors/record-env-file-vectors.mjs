// Re-records env-file.json by running the cases through this Node's util.parseEnv:
// node test/vectors/record-env-file-vectors.mjs  (then review the diff: it is the behaviour users get).

import { writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

const cases = [
  ['basic assignments', 'A=1\nB=hello\n'],
  ['full-line comments are ignored', '# a comment\nA=1\n# B=2\nC=3\n'],
  ['an unquoted value ends at #', 'A=1 # trailing comment\nB=a#b\nC=a #b\n'],
  [
    '# inside double, single or backtick quotes is kept',
    'A="x # y"\nB=\'x # y\'\nC=`x # y`\nD="#not-a-comment"\n',
  ],
  ['double, single and backtick quotes are removed', 'A="double"\nB=\'single\'\nC=`backtick`\n'],
  ['quotes of another kind are kept inside a quoted value', 'A="it\'s"\nB=\'say "hi"\'\nC=`mix "a" \'b\'`\n'],
  ['double-quoted values span lines', 'A="line1\nline2"\nB=after\n'],
  ['single-quoted and backtick values span lines too', "A='l1\nl2'\nB=`l1\nl2`\n"],
  ['\\n is expanded in double quotes only', 'A="one\\ntwo"\nB=\'one\\ntwo\'\nC=one\\ntwo\n'],
  ['the export prefix is dropped', 'export A=1\nexport B="two"\n  export C=3\n'],
  ['= inside a value is kept', 'A=a=b=c\nB="x=y"\nURL=postgres://u:p@h/db?x=1&y=2\n'],
  ['empty values are empty strings', 'A=\nB=""\nC=\'\'\nD= \n'],
  ['spaces around keys and unquoted values are trimmed', '  A  =  1  \nB= spaced value \n D=4\n'],
  ['spaces inside quotes are kept', 'C = " padded "\n'],
  ['a later assignment wins', 'A=1\nA=2\n'],
  ['CRLF line endings', 'A=1\r\nB=2\r\n'],
  ['JSON values', 'J={"a":1,"b":[1,2]}\nK=\'{"a": "x # y"}\'\n'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text ${A} is the case under test
  ['no variable expansion', 'A=1\nB=${A}\nC=$A\n'],
  ['UTF-8 values', 'A=café ☃\n'],
  ['keys keep their case and punctuation', 'lower=1\nWITH.DOT=2\nWITH-DASH=3\n'],
  ['text after a closing quote is dropped', 'A="x"junk\nB="a" # comment\n'],
];
const quirks = [
  [
    'an unterminated double quote keeps the quote and ends at the line',
    'A="open\nB=2\n',
    'Node 20 keeps the opening quote; dotenv behaves the same',
  ],
  ['a backslash does not escape a double quote', 'A="a\\"b"\n', 'the value ends at the first closing quote'],
  [
    'a line starting with = stops parsing',
    'A=1\n=x\nB=2\n',
    'Node 20 drops everything after a line with an empty key',
  ],
  [
    'a comment on the last line without a newline becomes a key',
    'A=1\n#E=5',
    'Node 20 parses "#E" as a key when the file does not end with a newline',
  ],
  ['a line without = swallows the next key', 'A=1\nLONELY\nB=2\n', 'Node 20 reads "LONELY\\nB" as one key'],
  ['export followed by two spaces keeps one in the key', 'export  A=1\n', 'the key becomes " A"'],
];
const vectors = [];
const loaderRules = [
  [
    'a leading UTF-8 byte order mark is dropped',
    '\uFEFFA=1\nB=2\n',
    'util.parseEnv and node --env-file (Node 20) keep it in the first key ("\\uFEFFA"); the loader strips it first, as editors on Windows add it',
  ],
];
for (const [name, input] of cases) vectors.push({ name, input, expected: parseEnv(input) });
for (const [name, input, note] of quirks)
  vectors.push({ name, input, expected: parseEnv(input), quirk: true, note });
for (const [name, input, note] of loaderRules)
  vectors.push({ name, input, expected: parseEnv(input.slice(1)), loaderRule: true, note });
const description =
  'The .env parsing rules users get from @plinth/config, which parses with util.parseEnv (the parser of ' +
  `node --env-file). Recorded by running Node ${process.version}. Entries with "quirk": true pin surprising ` +
  'Node 20 behaviour and run on Node 20 only; entries with "loaderRule": true are where the loader ' +
  'deliberately differs from util.parseEnv.';
const recorded = JSON.stringify({ description, node: process.version, vectors }, null, 2);
writeFileSync(new URL('./env-file.json', import.meta.url), `${recorded}\n`);
