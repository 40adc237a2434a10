// The health endpoints over HTTP, framework-free: route, check the method and query, answer.
import type { HealthReport, HealthRequestInput, ProbeKind, ServiceInfo } from './health.js';
import { healthMediaType, toHealthJson } from './health-json.js';

/** The path of each probe's endpoint. */
export interface HealthPaths {
  /** Liveness: is the process able to make progress? Default `/livez`. */
  liveness: string;
  /** Readiness: may the load balancer send traffic? Default `/readyz`. */
  readiness: string;
  /** Startup: has the app finished starting? Default `/startupz`. */
  startup: string;
  /** Summary of every check and state. Default `/healthz`. */
  summary: string;
}

/** @internal A framework-free HTTP answer the adapters write out. */
export interface HealthResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** @internal What the HTTP layer needs from the registry. */
export interface HealthHttpContext {
  paths: HealthPaths;
  verbose: boolean | ((request: Request) => boolean);
  service: ServiceInfo;
  report(kind: ProbeKind): Promise<HealthReport>;
}

const probes = ['liveness', 'readiness', 'startup', 'summary'] as const;
const truthy = new Set(['', '1', 'true', 'yes']);
const falsy = new Set(['0', 'false', 'no']);

/** Finds the probe a path belongs to. */
export function probeForPath(paths: HealthPaths, pathname: string): ProbeKind | undefined {
  return probes.find((probe) => paths[probe] === pathname);
}

/** A body with its Content-Length (SEAMS: every health and problem response carries one). */
function withLength(headers: Record<string, string>, body: string): Record<string, string> {
  headers['content-length'] = String(Buffer.byteLength(body));
  return headers;
}

/** Answers a request to a health endpoint, or `undefined` when the path is not one. */
export async function respondToHealthRequest(
  input: HealthRequestInput,
  context: HealthHttpContext,
): Promise<HealthResponse | undefined> {
  const probe = probeForPath(context.paths, input.pathname);
  if (probe === undefined) return undefined;
  if (input.method !== 'GET' && input.method !== 'HEAD') {
    return problem(405, 'METHOD_NOT_ALLOWED', `${input.pathname} answers GET and HEAD only.`, {
      allow: 'GET, HEAD',
    });
  }
  // With verbose off nothing in the query can change the answer: the query is not even read, so
  // the fetch middleware answers a production probe without building the Request.
  let wantsDetails = false;
  const search = context.verbose === false ? '' : input.search();
  if (search.length > 1) {
    const value = new URLSearchParams(search).get('verbose');
    if (value !== null) {
      if (truthy.has(value)) wantsDetails = true;
      else if (!falsy.has(value)) {
        return problem(
          400,
          'INVALID_QUERY',
          `The verbose query parameter takes no value or one of 1, true, yes, 0, false, no; got "${value}".`,
        );
      }
    }
  }
  const verbose =
    wantsDetails &&
    (typeof context.verbose === 'function' ? context.verbose(input.request()) : context.verbose);
  const report = await context.report(probe);
  const body = JSON.stringify(toHealthJson(report, context.service, verbose));
  return {
    // draft-inadarei-api-health-check §3: pass and warn answer 2xx-3xx, fail answers 4xx-5xx.
    status: report.status === 'fail' ? 503 : 200,
    // HEAD: the Content-Length of the body a GET would get (RFC 9110 §9.3.2), and no body.
    headers: withLength({ 'content-type': healthMediaType, 'cache-control': 'no-store' }, body),
    body: input.method === 'HEAD' ? '' : body,
  };
}

// RFC 9110 §15 reason phrases of the statuses this package answers with.
const titles: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/**
 * @internal An RFC 9457 problem+json answer, members in the order every Plinth package writes
 * them (`type`, `title`, `status`, `detail`, `code`); `detail` only for exposed (4xx) errors.
 */
export function problem(
  status: 400 | 404 | 405 | 500,
  code: string,
  detail?: string,
  headers: Record<string, string> = {},
): HealthResponse {
  const document: Record<string, unknown> = { type: 'about:blank', title: titles[status], status };
  if (detail !== undefined && status < 500) document.detail = detail;
  document.code = code;
  const body = JSON.stringify(document);
  return {
    status,
    headers: withLength(
      { ...headers, 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
      body,
    ),
    body,
  };
}

/** Turns a framework-free answer into a fetch Response. */
export function renderHealthResponse(answer: HealthResponse): Response {
  // A null body for HEAD: the Content-Length header still tells the size of the GET body.
  return new Response(answer.body === '' ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
}
