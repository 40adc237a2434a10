// The kinds of value a configuration string can be coerced to, and how each is described to a user.

/** How a raw string is turned into a typed value before validation. */
export type CoercionKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'port'
  | 'boolean'
  | 'url'
  | 'duration'
  | 'list'
  | 'json';

const labels: Record<CoercionKind, string> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  port: 'port (integer 0-65535)',
  boolean: 'boolean (true/false, 1/0, yes/no, on/off)',
  url: 'URL',
  duration: 'duration (e.g. 250ms, 30s, 5m, 1h30m, 2d)',
  list: 'comma-separated list',
  json: 'JSON',
};

/** The words used for a kind in error messages and `.env.example`. */
export function describeKind(kind: CoercionKind, itemKind?: CoercionKind, separator = ','): string {
  if (kind !== 'list') return labels[kind];
  const list = separator === ',' ? 'comma-separated list' : `list separated by "${separator}"`;
  return itemKind === undefined || itemKind === 'string' ? list : `${list} of ${labels[itemKind]}`;
}
