// The steps of a shutdown: a server to drain or a resource to close, each with a state for the report.
import { type Closable, closeClosable, isClosable } from './closable.js';
import { DeployError } from './errors.js';
import type { Logger } from './logger.js';
import { isFrameworkServer, isNodeServer, watchNodeServer } from './server-drain.js';
import type { ShutdownServer } from './shutdown-options.js';

/** One thing to finish, by name, with how far it got. */
export interface Step {
  readonly name: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  /** What is still open, for the timeout's log line. */
  readonly detail?: () => string;
}

/** A server to drain: told at the signal, closed after the readiness delay, destroyed at the timeout. */
export interface ServerStep {
  readonly step: Step;
  /** At the signal: responses say `Connection: close`, long-idle sockets close. */
  readonly begin: () => void;
  /** After the readiness delay: stop accepting and wait for the connections to end. */
  readonly close: () => Promise<void>;
  /** At the timeout: destroy what is still open. */
  readonly force: () => void;
}

/** A resource to close after the servers. */
export interface ClosableStep {
  readonly step: Step;
  readonly closable: Closable;
}

/**
 * The step of a server: a node:http server is drained by @plinth/deploy; a framework instance
 * (Fastify, a @plinth/http server) closes through its own `close()`, with its node server watched
 * for what that leaves out; any other Closable is just closed.
 */
export function serverStep(server: ShutdownServer, name: string): ServerStep {
  if (isNodeServer(server)) {
    const drain = watchNodeServer(server);
    const step: Step = { name, state: 'waiting', detail: drain.pending };
    return { step, begin: drain.begin, close: drain.drain, force: drain.force };
  }
  if (isFrameworkServer(server)) {
    const drain = watchNodeServer(server.server);
    const step: Step = { name, state: 'waiting', detail: drain.pending };
    const close = async () => {
      drain.begin();
      await server.close();
    };
    return { step, begin: drain.begin, close, force: drain.force };
  }
  if (isClosable(server)) {
    const step: Step = { name, state: 'waiting' };
    return { step, begin: () => {}, close: () => closeClosable(server), force: () => {} };
  }
  throw new DeployError(
    'ERR_DEPLOY_INVALID_OPTION',
    'addServer takes a node:http server or an object with close(); got neither.',
  );
}

/** The step of a resource; throws ERR_DEPLOY_INVALID_OPTION for anything that cannot be closed. */
export function closableStep(closable: Closable, name: string): ClosableStep {
  if (!isClosable(closable)) {
    throw new DeployError(
      'ERR_DEPLOY_INVALID_OPTION',
      'add takes an object with close() or [Symbol.asyncDispose](); got neither.',
    );
  }
  return { step: { name, state: 'waiting' }, closable };
}

/** Runs one step's work, recording its state; a failure is logged and collected, never thrown. */
export async function runStep(
  step: Step,
  work: () => Promise<void>,
  failed: { name: string; error: string }[],
  logger: Logger,
): Promise<void> {
  step.state = 'running';
  try {
    await work();
    step.state = 'done';
  } catch (error) {
    step.state = 'failed';
    const message = error instanceof Error ? error.message : String(error);
    failed.push({ name: step.name, error: message });
    logger.error({ step: step.name, err: message }, `shutdown: ${step.name} failed to close`);
  }
}

/** Whether a step had not finished (for the result and the timeout's log line). */
export function isUnfinished(step: Step): boolean {
  return step.state === 'waiting' || step.state === 'running';
}
