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

/** Answers a request to a health endpoint, or `undefined` when the path is not one. */
export async function respondToHealthRequest(
  input: HealthRequestInput,
  context: HealthHttpContext,
): Promise<HealthResponse | undefined> {
  const probe = probeForPath(context.paths, input.pathname);
  if (probe === undefined) return undefined;
  if (input.method !== 'GET' && input.method !== 'HEAD') {
    return problem(405, 'Method Not Allowed', `${input.pathname} answers GET and HEAD only.`, {
      allow: 'GET, HEAD',
    });
  }
  let wantsDetails = false;
  if (input.search.length > 1) {
    const value = new URLSearchParams(input.search).get('verbose');
    if (value !== null) {
      if (truthy.has(value)) wantsDetails = true;
      else if (!falsy.has(value)) {
        return problem(
          400,
          'Bad Request',
          `The verbose query parameter takes no value or one of 1, true, yes, 0, false, no; got "${value}".`,
        );
      }
    }
  }
  const verbose =
    wantsDetails &&
    (typeof context.verbose === 'function' ? context.verbose(input.request()) : context.verbose);
  const report = await context.report(probe);
  const document = toHealthJson(report, context.service, verbose);
  return {
    // draft-inadarei-api-health-check §3: pass and warn answer 2xx-3xx, fail answers 4xx-5xx.
    status: report.status === 'fail' ? 503 : 200,
    headers: { 'content-type': healthMediaType, 'cache-control': 'no-store' },
    body: input.method === 'HEAD' ? '' : JSON.stringify(document),
  };
}

/** @internal An RFC 9457 problem+json answer. */
export function problem(
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): HealthResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({ type: 'about:blank', title, status, detail }),
  };
}

/** Turns a framework-free answer into a fetch Response. */
export function renderHealthResponse(answer: HealthResponse): Response {
  return new Response(answer.body === '' ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
}
