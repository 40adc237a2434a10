// Route patterns (@plinth/http / Express 5 / find-my-way syntax) as OpenAPI path templates:
// `/users/:id` → `/users/{id}`, `/posts/:page?` → two paths, `/files/*` → `/files/{wildcard}`.
import { DevtoolsError } from './errors.js';

/** One path parameter of a template. */
export interface PathParameter {
  /** The name in the template and in the parameter list. */
  readonly name: string;
  /** The name the route's params schema uses (`*` for a bare wildcard). */
  readonly key: string;
}

/** One OpenAPI path for a route pattern. */
export interface PathTemplate {
  /** `/users/{id}` */
  readonly template: string;
  readonly parameters: readonly PathParameter[];
}

const NAME = /[A-Za-z0-9_$]/;

/**
 * The OpenAPI path(s) of a route pattern. An optional last parameter (`/posts/:page?`) gives two
 * paths, since OpenAPI path parameters are always required.
 */
export function toPathTemplates(pattern: string): PathTemplate[] {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new DevtoolsError(
      'ERR_DEVTOOLS_INVALID_ROUTE',
      `Route path ${JSON.stringify(pattern)} must start with "/".`,
    );
  }
  let template = '';
  let optionalFrom = -1;
  const parameters: PathParameter[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === ':' && pattern[index + 1] === ':') {
      template += ':'; // "::" is a literal colon (@plinth/http, find-my-way)
      index++;
    } else if (char === ':') {
      let end = index + 1;
      while (end < pattern.length && NAME.test(pattern[end]!)) end++;
      const name = pattern.slice(index + 1, end);
      if (name === '') throw invalid(pattern, `":" at ${index} is not followed by a parameter name`);
      if (pattern[end] === '?') {
        if (end + 1 !== pattern.length) throw invalid(pattern, `only the last parameter may be optional`);
        optionalFrom = template.endsWith('/') ? template.length - 1 : template.length;
        end++;
      }
      template += `{${name}}`;
      parameters.push({ name, key: name });
      index = end - 1;
    } else if (char === '*' && (pattern[index - 1] === '/' || index === 0)) {
      const key = pattern.slice(index + 1) || '*';
      if (key !== '*' && ![...key].every((c) => NAME.test(c))) {
        throw invalid(pattern, 'a wildcard must end the path');
      }
      const name = key === '*' ? 'wildcard' : key;
      template += `{${name}}`;
      parameters.push({ name, key });
      break;
    } else if (char === '{' || char === '}' || char === '(') {
      throw invalid(
        pattern,
        `"${char}" groups and regular expressions have no OpenAPI form; declare each path`,
      );
    } else {
      template += char;
    }
  }
  if (optionalFrom === -1) return [{ template, parameters }];
  const shorter = template.slice(0, optionalFrom) || '/';
  return [
    { template: shorter, parameters: parameters.slice(0, -1) },
    { template, parameters },
  ];
}

function invalid(pattern: string, what: string): DevtoolsError {
  return new DevtoolsError('ERR_DEVTOOLS_INVALID_ROUTE', `Route path "${pattern}": ${what}.`);
}
