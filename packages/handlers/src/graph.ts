// The dependency graph as text (one line per token: lifetime and dependencies) or as a Mermaid
// flowchart, for debugging a wiring problem or pasting into a pull request.
import type { Registration } from './registration.js';

/** Internal: one registration with whether a child container overrides its parent's. */
export interface GraphEntry {
  registration: Registration;
  overridden: boolean;
}

function label(entry: GraphEntry): string {
  const { registration } = entry;
  const kind = registration.isValue ? 'value' : registration.lifetime;
  const notes = [kind, registration.async ? 'async' : '', entry.overridden ? 'override' : ''].filter(Boolean);
  return `${registration.token.name} (${notes.join(', ')})`;
}

function text(entries: readonly GraphEntry[]): string {
  const width = Math.max(0, ...entries.map((entry) => label(entry).length));
  return entries
    .map((entry) => {
      const deps = entry.registration.deps.map((dep) => dep.name);
      const line = label(entry);
      return deps.length === 0 ? line : `${line.padEnd(width)}  → ${deps.join(', ')}`;
    })
    .join('\n');
}

// Mermaid labels are quoted strings: a double quote inside ends it, so it becomes #quot;.
function quote(value: string): string {
  return `"${value.replace(/"/g, '#quot;')}"`;
}

function mermaid(entries: readonly GraphEntry[]): string {
  const lines = ['flowchart TD'];
  for (const entry of entries) lines.push(`  t${entry.registration.token.id}[${quote(label(entry))}]`);
  for (const entry of entries) {
    for (const dep of entry.registration.deps) lines.push(`  t${entry.registration.token.id} --> t${dep.id}`);
  }
  return lines.join('\n');
}

/** Internal: renders the registrations of a container. */
export function renderGraph(entries: readonly GraphEntry[], format: 'text' | 'mermaid'): string {
  return format === 'mermaid' ? mermaid(entries) : text(entries);
}
