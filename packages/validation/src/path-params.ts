// Path parameters read from the matched pattern and the raw path, for hosts whose context does not
// hand them over: `/users/:id` against `/users/42` gives `{ id: '42' }`.

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The parameters of `pattern` (`:name`, a final `*` or `*name`) in `path`; decoded, null-prototype. */
export function matchPathParams(pattern: string | undefined, path: string): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  if (pattern === undefined || (!pattern.includes(':') && !pattern.includes('*'))) return params;
  const patternSegments = pattern.split('/');
  const pathSegments = path.split('/');
  for (let index = 0; index < patternSegments.length; index++) {
    const segment = patternSegments[index] as string;
    if (segment.startsWith('*')) {
      params[segment.slice(1) || '*'] = decode(pathSegments.slice(index).join('/'));
      break;
    }
    if (segment.startsWith(':')) params[segment.slice(1)] = decode(pathSegments[index] ?? '');
  }
  return params;
}
