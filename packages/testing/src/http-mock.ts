// Outgoing HTTP mocked at the edge: undici's MockAgent becomes the global dispatcher, which both
// node's global fetch and undici's own request()/fetch() read (the Symbol.for('undici.globalDispatcher.1')
// slot), so every caller is covered in-process. Expectations are declared up front and verify()
// lists the calls that matched none and the expectations nothing used.
import { type Dispatcher, getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';

type PendingInterceptor = ReturnType<MockAgent['pendingInterceptors']>[number];

import { TestingError } from './errors.js';

/** One outgoing request as the mock saw it. */
export interface RecordedCall {
  method: string;
  /** origin + path (with query). */
  url: string;
  /** The body when it was text or bytes (decoded as UTF-8); undefined for none or a stream. */
  body: string | undefined;
  /** Whether an expectation answered it. */
  matched: boolean;
}

/** What an expectation answers. */
export interface MockReply {
  status: number;
  /** An object or array is sent as JSON; a string or bytes as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** How a request must look to match an expectation (beyond method and URL). */
export interface ExpectationOptions {
  /** The exact body, a RegExp, or a predicate on the body text. */
  body?: string | RegExp | ((body: string) => boolean);
  /** Header values the request must carry (exact, RegExp or predicate). */
  headers?: Record<string, string | RegExp | ((value: string) => boolean)>;
  /** How many calls it answers (default 1); `Infinity` for any number. */
  times?: number;
}

/** A declared expectation, waiting for its answer. */
export interface Expectation {
  /** Answers with this status, body and headers. */
  reply(status: number, body?: unknown, headers?: Record<string, string>): void;
  /** Answers from a function of the request. */
  replyWith(answer: (request: { method: string; path: string; body: string | undefined }) => MockReply): void;
  /** Fails the request with this error (a network error for the caller). */
  fail(error: Error): void;
}

/** The mock installed by mockHttp(). */
export interface HttpMock {
  /** Declares that `method url` will be called; the URL's query must match exactly. */
  expect(method: string, url: string, options?: ExpectationOptions): Expectation;
  /** Every outgoing request so far, matched or not, in order. */
  readonly calls: readonly RecordedCall[];
  /** Throws ERR_TESTING_HTTP_UNMATCHED / ERR_TESTING_HTTP_UNUSED listing what went wrong. */
  verify(): void;
  /** Puts back the dispatcher that was global before; call it in afterEach. */
  close(): Promise<void>;
  /** The MockAgent itself, for what this API does not cover. */
  readonly agent: MockAgent;
}

/** Options of mockHttp(). */
export interface MockHttpOptions {
  /** Origins (or a predicate on the host) that still reach the network, e.g. '127.0.0.1:5432'. */
  allow?: Array<string | RegExp>;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return undefined;
}

function encodeReply(reply: MockReply): { data: string | Buffer; headers: Record<string, string> } {
  const headers = { ...reply.headers };
  if (reply.body === undefined || reply.body === null) return { data: '', headers };
  if (typeof reply.body === 'string') return { data: reply.body, headers };
  if (reply.body instanceof Uint8Array) return { data: Buffer.from(reply.body), headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (!hasType) headers['content-type'] = 'application/json';
  return { data: JSON.stringify(reply.body), headers };
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw new TestingError(
      'ERR_TESTING_INVALID_OPTION',
      `mockHttp: expect() needs an absolute URL such as https://api.example.test/users?page=1, got ${JSON.stringify(url)}.`,
      { cause: error },
    );
  }
}

function describeCall(call: RecordedCall): string {
  return `${call.method} ${call.url}${call.body ? ` ${JSON.stringify(call.body.length > 120 ? `${call.body.slice(0, 120)}…` : call.body)}` : ''}`;
}

/**
 * Intercepts every outgoing HTTP request of this process (fetch and undici) until close().
 * Requests no expectation matches fail at the caller and are listed by verify().
 *
 * @example
 * const http = mockHttp();
 * http.expect('POST', 'https://pay.example.test/charges').reply(201, { id: 'ch_1' });
 * await checkout();
 * http.verify();
 * await http.close();
 */
export function mockHttp(options: MockHttpOptions = {}): HttpMock {
  const previous = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.disableNetConnect();
  for (const allowed of options.allow ?? []) agent.enableNetConnect(allowed as string);
  const calls: RecordedCall[] = [];
  const declared: Array<{ method: string; url: string; times: number }> = [];

  // Record each call; MockAgent reports "no match" through the handler's error hook (or a throw).
  const dispatch = agent.dispatch.bind(agent);
  (agent as unknown as { dispatch: Dispatcher['dispatch'] }).dispatch = (opts, handler) => {
    const call: RecordedCall = {
      method: String(opts.method).toUpperCase(),
      url: `${String(opts.origin ?? '').replace(/\/$/, '')}${opts.path}`,
      body: bodyText(opts.body),
      matched: true,
    };
    calls.push(call);
    const noteMiss = (error: unknown) => {
      if ((error as { code?: string } | null)?.code === 'UND_MOCK_ERR_MOCK_NOT_MATCHED') call.matched = false;
    };
    const watched = new Proxy(handler, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if ((property !== 'onError' && property !== 'onResponseError') || typeof value !== 'function')
          return value;
        return (...args: unknown[]) => {
          noteMiss(args[args.length - 1]);
          return value.apply(target, args);
        };
      },
    });
    try {
      return dispatch(opts, watched);
    } catch (error) {
      noteMiss(error);
      throw error;
    }
  };
  setGlobalDispatcher(agent);

  function expect(method: string, url: string, expectation: ExpectationOptions = {}): Expectation {
    const target = parseUrl(url);
    const times = expectation.times ?? 1;
    declared.push({ method: method.toUpperCase(), url: target.href, times });
    const interceptor = agent.get(target.origin).intercept({
      path: `${target.pathname}${target.search}`,
      method: method.toUpperCase(),
      ...(expectation.body !== undefined ? { body: expectation.body } : {}),
      ...(expectation.headers !== undefined ? { headers: expectation.headers } : {}),
    });
    const repeat = (scope: { times(n: number): unknown; persist(): unknown }) => {
      if (times === Number.POSITIVE_INFINITY) scope.persist();
      else if (times !== 1) scope.times(times);
    };
    return {
      reply(status, body, headers) {
        const encoded = encodeReply({ status, body, ...(headers ? { headers } : {}) });
        repeat(interceptor.reply(status, encoded.data, { headers: encoded.headers }));
      },
      replyWith(answer) {
        repeat(
          interceptor.reply((request) => {
            const reply = answer({
              method: request.method,
              path: request.path,
              body: bodyText(request.body),
            });
            const encoded = encodeReply(reply);
            return {
              statusCode: reply.status,
              data: encoded.data,
              responseOptions: { headers: encoded.headers },
            };
          }),
        );
      },
      fail(error) {
        repeat(interceptor.replyWithError(error));
      },
    };
  }

  function verify(): void {
    const unmatched = calls.filter((call) => !call.matched);
    // timesInvoked is on every pending interceptor at runtime, though undici's types omit it.
    const pending = (
      agent.pendingInterceptors() as Array<PendingInterceptor & { timesInvoked: number }>
    ).filter((interceptor) => !interceptor.persist || interceptor.timesInvoked === 0);
    if (unmatched.length === 0 && pending.length === 0) return;
    const lines: string[] = [];
    if (unmatched.length > 0) {
      lines.push(`${unmatched.length} outgoing request(s) matched no expectation:`);
      for (const call of unmatched) lines.push(`  ${describeCall(call)}`);
    }
    if (pending.length > 0) {
      lines.push(`${pending.length} expectation(s) were not used up:`);
      for (const interceptor of pending) {
        const expected = interceptor.persist ? 'at least 1' : String(interceptor.times ?? 1);
        lines.push(
          `  ${interceptor.method} ${interceptor.origin}${interceptor.path} (expected ${expected}×, called ${interceptor.timesInvoked}×)`,
        );
      }
    }
    if (calls.length > 0) {
      lines.push('All requests, in order:');
      for (const call of calls) lines.push(`  ${call.matched ? '✓' : '✗'} ${describeCall(call)}`);
    }
    throw new TestingError(
      unmatched.length > 0 ? 'ERR_TESTING_HTTP_UNMATCHED' : 'ERR_TESTING_HTTP_UNUSED',
      lines.join('\n'),
    );
  }

  return {
    expect,
    get calls() {
      return calls;
    },
    verify,
    agent,
    async close() {
      setGlobalDispatcher(previous);
      await agent.close();
    },
  };
}
