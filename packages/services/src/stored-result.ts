// How an idempotent command's result is stored: JSON, wrapped so that undefined and null both
// survive, with DomainErrors (an `err(...)` Result is a normal answer of a command) kept as
// their code, message and details and revived as DomainErrors when read back.
import { DomainError, isDomainError } from './domain-error.js';
import { ServicesError } from './errors.js';

const marker = '$plinthDomainError';

interface StoredDomainError {
  name: string;
  code: string;
  message: string;
  details?: unknown;
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (!isDomainError(value)) return value;
  const stored: StoredDomainError = { name: value.name, code: value.code, message: value.message };
  if (value.details !== undefined) stored.details = value.details;
  return { [marker]: stored };
}

/** The JSON text stored for `value`; a value JSON cannot hold is refused, naming the key. */
export function serializeResult(key: string, value: unknown): string {
  try {
    return JSON.stringify({ value }, replacer);
  } catch (cause) {
    throw new ServicesError(
      'ERR_SERVICES_RESULT_NOT_SERIALIZABLE',
      `The result of the command with idempotency key "${key}" cannot be stored as JSON; return plain data (no BigInt, no cycles).`,
      { cause },
    );
  }
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const stored = (value as Record<string, unknown>)[marker] as StoredDomainError | undefined;
  if (stored !== undefined) {
    const error = new DomainError(stored.code, stored.message, { details: stored.details });
    error.name = stored.name;
    return error;
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, revive(entry)]));
}

/** The stored result, from JSON text or an already parsed jsonb value. */
export function parseResult(stored: unknown): unknown {
  const wrapper = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return revive((wrapper as { value?: unknown } | null)?.value);
}
