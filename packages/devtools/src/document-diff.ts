// The drift check's comparison: where a committed OpenAPI document and the generated one differ,
// as RFC 6901 JSON Pointers, in document order.

/** One difference between two JSON documents. */
export interface DocumentDifference {
  /** RFC 6901 JSON Pointer to the member, e.g. `/paths/~1users/get/summary`. */
  readonly pointer: string;
  /** `added`: only the generated document has it; `removed`: only the committed one; `changed`: both, unequal. */
  readonly kind: 'added' | 'removed' | 'changed';
  /** The committed value (removed, changed). */
  readonly committed?: unknown;
  /** The generated value (added, changed). */
  readonly generated?: unknown;
}

/**
 * Every difference between a committed document and the generated one (both plain JSON values).
 *
 * @example
 * const differences = diffDocuments(JSON.parse(readFileSync('openapi.json', 'utf8')), generateOpenApi(app));
 */
export function diffDocuments(committed: unknown, generated: unknown): DocumentDifference[] {
  const differences: DocumentDifference[] = [];
  compare(committed, generated, '', differences);
  return differences;
}

function compare(committed: unknown, generated: unknown, pointer: string, out: DocumentDifference[]): void {
  if (Object.is(committed, generated)) return;
  const bothArrays = Array.isArray(committed) && Array.isArray(generated);
  const bothObjects = isRecord(committed) && isRecord(generated);
  if (bothArrays) {
    const length = Math.max(committed.length, generated.length);
    for (let index = 0; index < length; index++) {
      member(
        index in committed,
        index in generated,
        committed[index],
        generated[index],
        `${pointer}/${index}`,
        out,
      );
    }
  } else if (bothObjects) {
    const keys = new Set([...Object.keys(generated), ...Object.keys(committed)]);
    for (const key of keys) {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      member(
        Object.hasOwn(committed, key),
        Object.hasOwn(generated, key),
        committed[key],
        generated[key],
        child,
        out,
      );
    }
  } else {
    out.push({ pointer, kind: 'changed', committed, generated });
  }
}

function member(
  inCommitted: boolean,
  inGenerated: boolean,
  committed: unknown,
  generated: unknown,
  pointer: string,
  out: DocumentDifference[],
): void {
  if (!inCommitted) out.push({ pointer, kind: 'added', generated });
  else if (!inGenerated) out.push({ pointer, kind: 'removed', committed });
  else compare(committed, generated, pointer, out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The differences as lines a CI log shows: `+` added, `-` removed, `~` changed (at most `limit` lines). */
export function formatDifferences(differences: readonly DocumentDifference[], limit = 50): string {
  const lines = differences.slice(0, limit).map((difference) => {
    switch (difference.kind) {
      case 'added':
        return `+ ${difference.pointer}: ${preview(difference.generated)}`;
      case 'removed':
        return `- ${difference.pointer}: ${preview(difference.committed)}`;
      default:
        return `~ ${difference.pointer}: ${preview(difference.committed)} → ${preview(difference.generated)}`;
    }
  });
  if (differences.length > limit) lines.push(`… and ${differences.length - limit} more`);
  return lines.join('\n');
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
