// A definition bound to a container: reads and validates the input, resolves the services in the
// request scope, calls `handle`, and turns the result (or the thrown error) into the outgoing answer.
// The adapters only translate their host's request into an IncomingRequest and write the Outgoing.
import type { Container } from './container.js';
import type { BindableDefinition, HandlerContext, HandlerDefinition } from './definition.js';
import { HandlersError } from './errors.js';
import { compileInput, type RawInput } from './input.js';
import type { Outgoing } from './outgoing.js';
import type { Plan } from './plan.js';
import { problemResponse } from './problem.js';
import { disposeOnAbort, scopeStorage } from './request-scope.js';
import { compileResponses, respond, type SerializerFactory } from './respond.js';
import type { Scope } from './scope.js';

/** Options of every binding (@plinth/http, Express, Fastify). */
export interface BindOptions {
  /** Resolves each definition's `services`; every request gets a scope of it. */
  container?: Container;
  /** Status of a validation failure: 400 (default) or 422. */
  validationStatus?: 400 | 422;
  /**
   * Hand thrown errors to the host's error handling (http's onError, Express `next(err)`, Fastify's
   * error handler) instead of answering problem+json here; `false` by default.
   */
  forwardErrors?: boolean;
  /**
   * Compiles a JSON serializer for each response schema when binding (e.g. @plinth/validation's
   * `createSerializer`); a response then goes through it instead of the schema's `validate` and
   * `JSON.stringify`. Default none: every response is validated by its schema.
   */
  serializer?: SerializerFactory;
}

/** Internal: what an adapter hands to a bound definition: raw parts plus the handler context. */
export interface IncomingRequest extends RawInput, Omit<HandlerContext, 'scope'> {
  /** A scope the host already opened for this request (Fastify's request-scope plugin). */
  scope: Scope | undefined;
}

/**
 * Internal: runs one request through a definition. Synchronous when every step was (no body to read,
 * sync schemas, services and handler); never throws: what `forwardErrors` hands on is a rejection.
 */
export type BoundDefinition = (request: IncomingRequest) => Outgoing | Promise<Outgoing>;

// biome-ignore lint/suspicious/noExplicitAny: definitions of every shape are bound alike
type AnyDefinition = HandlerDefinition<any, string, any, any>;

/** Internal: checks binding options once, when binding starts. */
export function readBindOptions(options: BindOptions | undefined): BindOptions {
  const checked = options ?? {};
  if (
    checked.validationStatus !== undefined &&
    checked.validationStatus !== 400 &&
    checked.validationStatus !== 422
  ) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_OPTION',
      `validationStatus must be 400 or 422, got ${String(checked.validationStatus)}.`,
    );
  }
  if (checked.serializer !== undefined && typeof checked.serializer !== 'function') {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_OPTION',
      'serializer must be a function (schema) => (value) => string, e.g. createSerializer from @plinth/validation.',
    );
  }
  return checked;
}

function compileServices(definition: AnyDefinition, container: Container | undefined) {
  const names = Object.keys(definition.services);
  if (names.length === 0) return undefined;
  const where = `handler ${definition.method} ${definition.path}`;
  if (container === undefined) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_OPTION',
      `The ${where} needs services (${names.join(', ')}): bind it with { container }.`,
    );
  }
  // planOf compiles the whole graph: a missing registration or a cycle throws here, at bind time.
  const plans: Plan[] = names.map((name) => container.planOf(definition.services[name], where));
  let async = plans.some((plan) => plan.needsAsync());
  const resolveSync = (scope: Scope | undefined) => {
    const services: Record<string, unknown> = {};
    for (let index = 0; index < plans.length; index++)
      services[names[index] as string] = (plans[index] as Plan).get(scope);
    return services;
  };
  const resolveAsync = async (scope: Scope | undefined) => {
    const services: Record<string, unknown> = {};
    for (let index = 0; index < plans.length; index++) {
      services[names[index] as string] = await (plans[index] as Plan).getAsync(scope);
    }
    // Once every async singleton is made, the sync path serves the following requests.
    async = plans.some((plan) => plan.needsAsync());
    return services;
  };
  return (scope: Scope | undefined) => (async ? resolveAsync(scope) : resolveSync(scope));
}

const NO_SERVICES = Object.freeze({});

function noop(): void {}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** Ends a scope the binding opened: a promise only when the scope holds something to release. */
function endScope(scope: Scope, stop: () => void, container: Container): Promise<void> | undefined {
  stop();
  if (!scope.holdsDisposables) {
    void scope.dispose();
    return undefined;
  }
  return scope.dispose().catch((error: unknown) => container.reportDisposeError(error));
}

/** Internal: binds one definition; every wiring error throws now, not at the first request. */
export function bindDefinition(definition: AnyDefinition, options: BindOptions): BoundDefinition {
  const { container, forwardErrors = false } = options;
  const where = `${definition.method} ${definition.path}`;
  const readInput = compileInput(definition.meta.schema, options.validationStatus ?? 400);
  const responses = compileResponses(definition.meta.schema, options.serializer);
  const resolveServices = compileServices(definition, container);
  const handle = definition.handle as (input: unknown, services: unknown, ctx: HandlerContext) => unknown;

  // Each step continues synchronously when the one before it was: an await per step cost a promise and
  // a microtask each, which async hooks (AsyncLocalStorage is on in most apps) make dearer still (cpu
  // profile of apps/reference GET / under autocannon -c50: promiseInitHook in `execute`).
  const call = (
    request: IncomingRequest,
    input: unknown,
    services: unknown,
  ): Outgoing | Promise<Outgoing> => {
    const result = handle(input, services, request as HandlerContext);
    if (isThenable(result)) return Promise.resolve(result).then((value) => respond(value, responses, where));
    return respond(result, responses, where);
  };

  const withInput = (request: IncomingRequest, input: unknown): Outgoing | Promise<Outgoing> => {
    if (resolveServices === undefined) return call(request, input, NO_SERVICES);
    const services = resolveServices(request.scope);
    if (services instanceof Promise) return services.then((value) => call(request, input, value));
    return call(request, input, services);
  };

  const answer = (error: unknown): Outgoing => {
    if (forwardErrors) throw error;
    return problemResponse(error);
  };

  const execute = (request: IncomingRequest): Outgoing | Promise<Outgoing> => {
    let outcome: Outgoing | Promise<Outgoing>;
    try {
      const input = readInput(request);
      outcome =
        input instanceof Promise
          ? input.then((value) => withInput(request, value))
          : withInput(request, input);
    } catch (error) {
      return forwardErrors ? Promise.reject(error) : problemResponse(error);
    }
    return outcome instanceof Promise ? outcome.catch(answer) : outcome;
  };

  if (container === undefined) return execute;

  return (request) => {
    // A scope the host opened counts only when it is of this container: plans index its slots.
    const given = request.scope?.host === container ? request.scope : container.currentScope;
    if (given !== undefined) {
      request.scope = given;
      return execute(request);
    }
    const scope = container.createScope();
    request.scope = scope;
    let stop = noop;
    scope.onFirstDisposable(() => {
      stop = disposeOnAbort(scope, request.signal, (error) => container.reportDisposeError(error));
    });
    // The answer leaves once the scope is released, as `try { ... } finally { await dispose }` would.
    const outcome = scopeStorage.run(scope, execute, request);
    if (!(outcome instanceof Promise)) {
      const ending = endScope(scope, stop, container);
      return ending === undefined ? outcome : ending.then(() => outcome);
    }
    return outcome.then(
      (value) => {
        const ending = endScope(scope, stop, container);
        return ending === undefined ? value : ending.then(() => value);
      },
      (error: unknown) => {
        const ending = endScope(scope, stop, container);
        if (ending === undefined) throw error;
        return ending.then(() => Promise.reject(error));
      },
    );
  };
}

/** Internal: binds every definition, checking them all before any route is added. */
export function bindAll(definitions: readonly BindableDefinition[], options: BindOptions | undefined) {
  if (!Array.isArray(definitions)) {
    throw new HandlersError(
      'ERR_HANDLERS_INVALID_OPTION',
      'Pass the handler definitions as an array: bind(target, [getUser, createUser], options).',
    );
  }
  const checked = readBindOptions(options);
  return (definitions as readonly AnyDefinition[]).map((definition) => ({
    definition,
    run: bindDefinition(definition, checked),
  }));
}
