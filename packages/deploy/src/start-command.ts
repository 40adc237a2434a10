// Turns a package.json start script into the exec-form CMD of a Dockerfile, or says why it cannot.
import { DeployError } from './errors.js';

// Anything a shell would interpret: exec form has no shell, so these cannot be carried over.
const shellSyntax = /[|&;<>$`\\(){}*?~]|\n/;
const envAssignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Splits a start script (`node dist/main.js --port 3000`) into exec-form arguments. Exec form
 * makes node PID 1's direct child of the init (or PID 1 itself), so SIGTERM reaches the app
 * rather than a shell or `pnpm start` that does not forward it.
 */
export function parseStartCommand(script: string): string[] {
  // Quoted text is passed on literally, except what a shell would expand inside double quotes.
  const unquoted = script.replace(/"[^"]*"|'[^']*'/g, '');
  const doubleQuoted = [...script.matchAll(/"([^"]*)"/g)].map((match) => match[1]).join(' ');
  if (shellSyntax.test(unquoted) || /[$`]/.test(doubleQuoted)) {
    throw new DeployError(
      'ERR_DEPLOY_START_SCRIPT',
      `The start script "${script}" uses shell syntax, which a signal-safe exec-form CMD cannot run; make it a plain command (e.g. "node dist/main.js") or pass --cmd.`,
    );
  }
  const tokens: string[] = [];
  for (const match of script.trim().matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  if (tokens.length === 0) {
    throw new DeployError(
      'ERR_DEPLOY_START_SCRIPT',
      'The start script is empty; set "scripts.start" (e.g. "node dist/main.js") or pass --cmd.',
    );
  }
  if (envAssignment.test(tokens[0]!)) {
    throw new DeployError(
      'ERR_DEPLOY_START_SCRIPT',
      `The start script "${script}" sets an environment variable; put it in the Dockerfile's ENV instead, or pass --cmd.`,
    );
  }
  return tokens;
}
