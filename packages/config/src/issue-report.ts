// Turning every problem found in one load into one ConfigError whose message lists them all, and
// never shows a secret's value.

import { ConfigError, type ConfigIssue } from './errors.js';
import { redactedValue } from './redaction.js';
import { isSecretName } from './secret-name.js';

const maxReceivedLength = 40;

/** Whether a variable's value must not appear in messages: marked secret, or named like one. */
export function isUnprintable(key: string, secret: boolean): boolean {
  return secret || isSecretName(key);
}

/** A received value as shown in a message: passwords in URLs masked, truncated, quoted. */
export function formatReceived(value: string): string {
  let shown = value;
  if (URL.canParse(value)) {
    const url = new URL(value);
    if (url.password !== '') {
      url.password = '***';
      shown = url.href;
    }
  }
  if (shown.length > maxReceivedLength) shown = `${shown.slice(0, maxReceivedLength)}…`;
  return JSON.stringify(shown);
}

/**
 * A validator's message with a secret value removed. Validators may quote the input; when the value
 * is too short to replace safely, the message is dropped for a neutral one.
 */
export function scrubMessage(message: string, value: string | undefined): string {
  if (value === undefined || value === '' || !message.includes(value)) return message;
  if (value.length < 4) return 'rejected by the schema';
  return message.split(value).join(redactedValue);
}

function describeIssue(issue: ConfigIssue): string {
  const name = issue.key === '' ? '(configuration)' : issue.key;
  if (issue.kind === 'missing') return `  - ${name}: missing; expected ${issue.expected}`;
  const from = issue.source === undefined ? '' : ` from ${issue.source}`;
  const received = issue.secret
    ? `, value hidden (secret${issue.source === undefined ? '' : `, from ${issue.source}`})`
    : issue.received === undefined
      ? from
      : `, received ${issue.received}${from}`;
  return `  - ${name}: expected ${issue.expected}${received}: ${issue.message}`;
}

/** The ConfigError (`ERR_CONFIG_INVALID`) listing every issue, sorted by variable name. */
export function invalidConfigError(issues: readonly ConfigIssue[]): ConfigError {
  const sorted = [...issues].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const missing = sorted.filter((issue) => issue.kind === 'missing').length;
  const invalid = sorted.length - missing;
  const counts = [missing > 0 ? `${missing} missing` : '', invalid > 0 ? `${invalid} invalid` : '']
    .filter(Boolean)
    .join(', ');
  const message =
    `Invalid configuration (${counts}):\n${sorted.map(describeIssue).join('\n')}\n` +
    'Set these variables in the environment, a .env file or a secret file (see .env.example).';
  return new ConfigError('ERR_CONFIG_INVALID', message, { issues: sorted });
}
