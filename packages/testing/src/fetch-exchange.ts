// One in-process exchange with a fetch handler: a Request that carries the raw target (the
// Symbol.for('@plinth/http.rawTarget') convention @plinth/http routes on), the Response as it came.
import { TestingError } from './errors.js';
import type { NormalizedRequest } from './inject-request.js';
import type { ResponseHead } from './inject-response.js';
import type { FetchHandler } from './inject-target.js';

const kRawTarget = Symbol.for('@plinth/http.rawTarget');

function buildRequest(request: NormalizedRequest, signal: AbortSignal): Request {
  let url: URL;
  try {
    url = new URL(request.target, 'http://localhost');
  } catch {
    url = new URL('/', 'http://localhost');
  }
  if ((request.method === 'GET' || request.method === 'HEAD') && request.body !== undefined) {
    throw new TestingError(
      'ERR_TESTING_INVALID_REQUEST',
      `inject: a ${request.method} request cannot carry a body to a fetch handler; use POST/PUT/PATCH or drop the body.`,
    );
  }
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    signal,
  };
  if (request.body !== undefined) {
    init.body = request.body as BodyInit;
    if (request.body instanceof ReadableStream) init.duplex = 'half';
  }
  const built = new Request(url, init);
  Object.defineProperty(built, kRawTarget, { value: request.target });
  return built;
}

/** Calls the fetch handler; the head resolves with the Response, its body streams on. */
export async function dispatchFetch(
  handler: FetchHandler,
  request: NormalizedRequest,
): Promise<ResponseHead> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const response = await handler(buildRequest(request, controller.signal));
  if (!(response instanceof Response)) {
    throw new TestingError(
      'ERR_TESTING_INVALID_TARGET',
      `inject: the fetch handler answered ${response === null ? 'null' : typeof response}, not a Response.`,
    );
  }
  const source = request.method === 'HEAD' ? null : response.body;
  const hangUp = () => controller.abort(new Error('inject: the client aborted the response'));
  const body = source ? relay(source, hangUp) : null;
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: body ? { stream: () => body.stream } : null,
    // The client hangs up: the request signal aborts, the app's body stream is cancelled.
    abort: () => (body ? body.abort() : hangUp()),
  };
}

// The app's body behind a stream of our own, so an abort ends a read the test is waiting in.
function relay(source: ReadableStream<Uint8Array>, hangUp: () => void) {
  const reader = source.getReader();
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(control) {
      out = control;
    },
    async pull(control) {
      try {
        const { done, value } = await reader.read();
        if (!open) return;
        if (done) {
          open = false;
          control.close();
        } else control.enqueue(value);
      } catch (error) {
        if (open) control.error(error);
        open = false;
      }
    },
    cancel(reason) {
      open = false;
      hangUp();
      return reader.cancel(reason);
    },
  });
  const abort = () => {
    if (open) {
      open = false;
      out.close();
    }
    hangUp();
    void reader.cancel().catch(() => {});
  };
  return { stream, abort };
}
