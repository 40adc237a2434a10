#!/usr/bin/env node
// The public API of a package, values and types, as one sorted list per entry point read from its
// built declarations. check-package.mjs compares it with the committed api-report.md, so a change of
// the public surface shows up in review. `node scripts/api-report.mjs [dir] --write` rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The kind word of an exported symbol, as a reader would declare it. */
function kindOf(symbol) {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  if (flags & ts.SymbolFlags.Module) return 'namespace';
  return 'unknown';
}

/** The report of the package in `dir`: one section per entry point, one line per export. */
export function apiReport(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entries = Object.entries(pkg.exports ?? {}).filter(([key]) => key !== './package.json');
  const files = entries.map(([, target]) => join(dir, target?.import?.types ?? target?.types ?? ''));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const lines = [
    `# API of ${pkg.name}`,
    '',
    'Written by `scripts/api-report.mjs` from the built declarations.',
  ];
  entries.forEach(([key], index) => {
    const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    const source = program.getSourceFile(files[index]);
    const module = source && checker.getSymbolAtLocation(source);
    lines.push('', `## ${specifier}`, '');
    if (!module) {
      lines.push('(no declarations found)');
      return;
    }
    const exported = checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `- ${kindOf(target)} \`${symbol.name}\``;
    });
    lines.push(...exported.sort((a, b) => a.split('`')[1].localeCompare(b.split('`')[1])));
  });
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((arg) => !arg.startsWith('--')) ?? process.cwd());
  const report = apiReport(dir);
  if (args.includes('--write')) writeFileSync(join(dir, 'api-report.md'), report);
  else process.stdout.write(report);
}
