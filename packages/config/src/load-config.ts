// Loading a configuration once at start: read every source by precedence, coerce each string by its
// declared kind, validate with the Standard Schema, fail with every problem at once, freeze.

import { resolve } from 'node:path';
import { coerceValue } from './coercion.js';
import type { Config, ConfigDefinition, ConfigSchema } from './definition.js';
import { envFileSource, envFileSources } from './env-file.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { formatReceived, invalidConfigError, isUnprintable, scrubMessage } from './issue-report.js';
import { type LoadedSource, type MergedValues, mergeSources, type RawValue } from './merge-sources.js';
import { processEnvSource } from './process-env-source.js';
import { sealConfig } from './redaction.js';
import { analyzeDefinition, type SchemaAnalysis } from './schema-analysis.js';
import { secretsDirSource } from './secret-files.js';
import { isSecretName } from './secret-name.js';
import type { ConfigSource, ConfigValues } from './source.js';
import { isStandardSchema, type StandardSchemaV1 } from './standard-schema.js';

type Result = StandardSchemaV1.Result<unknown>;

/** Everything decided before any source is read. */
interface LoadPlan {
  readonly definition: ConfigDefinition;
  readonly analysis: SchemaAnalysis;
  readonly sources: readonly ConfigSource[];
  readonly cwd: string;
}

function definitionError(message: string): ConfigError {
  return new ConfigError('ERR_CONFIG_DEFINITION', message);
}

/** Checks the options a JavaScript caller (without types) may get wrong, before reading anything. */
function checkDefinition(definition: ConfigDefinition): void {
  if (typeof definition !== 'object' || definition === null) {
    throw definitionError('loadConfig needs a definition: loadConfig({ schema: z.object({...}) }).');
  }
  const { envFiles, secretsDir, sources, cwd, maxFileSize } = definition;
  if (maxFileSize !== undefined && !(Number.isSafeInteger(maxFileSize) && maxFileSize > 0)) {
    throw definitionError(
      `maxFileSize must be a positive whole number of bytes (e.g. 4 * 1024 * 1024), got ${String(maxFileSize)}.`,
    );
  }
  if (envFiles !== undefined && typeof envFiles !== 'boolean' && !Array.isArray(envFiles)) {
    throw definitionError('envFiles must be true, false or a list of file paths.');
  }
  if (secretsDir !== undefined && typeof secretsDir !== 'string') {
    throw definitionError('secretsDir must be the path of a directory, e.g. "/run/secrets".');
  }
  if (cwd !== undefined && typeof cwd !== 'string') throw definitionError('cwd must be a directory path.');
  if (sources !== undefined) {
    if (!Array.isArray(sources)) throw definitionError('sources must be a list of ConfigSource objects.');
    for (const [index, source] of sources.entries()) {
      if (typeof source?.name !== 'string' || typeof source.load !== 'function') {
        throw definitionError(
          `sources[${index}] is not a ConfigSource: it needs a name and a load() method.`,
        );
      }
    }
  }
}

/**
 * The sources of a definition, lowest precedence first: .env files, the secrets directory, the
 * definition's extra sources, then the real environment.
 */
function planLoad(definition: ConfigDefinition): LoadPlan {
  checkDefinition(definition);
  const analysis = analyzeDefinition(definition);
  const env = definition.env ?? process.env;
  const cwd = definition.cwd ?? process.cwd();
  const files = definition.envFiles ?? true;
  const limit = definition.maxFileSize === undefined ? {} : { maxFileSize: definition.maxFileSize };
  const sources: ConfigSource[] =
    files === true
      ? envFileSources(cwd, definition.nodeEnv ?? env.NODE_ENV, limit)
      : files === false
        ? []
        : files.map((file) => ({ ...envFileSource(resolve(cwd, file), limit), name: file }));
  if (definition.secretsDir !== undefined) sources.push(secretsDirSource(definition.secretsDir, limit));
  sources.push(...(definition.sources ?? []), processEnvSource(env));
  return { definition, analysis, sources, cwd };
}

function sourceError(source: ConfigSource, error: unknown): ConfigError {
  if (error instanceof ConfigError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ConfigError(
    'ERR_CONFIG_SOURCE',
    `The configuration source "${source.name}" failed to load: ${reason}`,
    { cause: error },
  );
}

function checkValues(source: ConfigSource, values: unknown): ConfigValues {
  if (typeof values !== 'object' || values === null) {
    throw new ConfigError(
      'ERR_CONFIG_SOURCE',
      `The configuration source "${source.name}" returned ${values === null ? 'null' : typeof values}; load() must return a record of strings.`,
    );
  }
  return values as ConfigValues;
}

function loadSourcesSync(plan: LoadPlan): LoadedSource[] {
  return plan.sources.map((source) => {
    let values: ConfigValues | Promise<ConfigValues>;
    try {
      values = source.load(plan.analysis.keys);
    } catch (error) {
      throw sourceError(source, error);
    }
    if (isPromiseLike(values)) {
      discard(values);
      throw new ConfigError(
        'ERR_CONFIG_ASYNC',
        `The configuration source "${source.name}" is asynchronous; use await loadConfigAsync(...) instead of loadConfig(...).`,
      );
    }
    return { source, values: checkValues(source, values) };
  });
}

/** Loads every source concurrently (a slow vault does not wait for another), keeping their order. */
function loadSourcesAsync(plan: LoadPlan): Promise<LoadedSource[]> {
  return Promise.all(
    plan.sources.map(async (source) => {
      try {
        return { source, values: checkValues(source, await source.load(plan.analysis.keys)) };
      } catch (error) {
        throw sourceError(source, error);
      }
    }),
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Swallows the rejection of a promise the sync API refuses, so it cannot crash the process. */
function discard(value: PromiseLike<unknown>): void {
  Promise.resolve(value).catch(() => undefined);
}

/** The merged raw values, coerced to what the schema expects, ready for validation. */
interface PreparedInput {
  readonly merged: MergedValues;
  readonly input: Record<string, unknown>;
  readonly issues: ConfigIssue[];
  readonly secretKeys: Set<string>;
}

function prepareInput(plan: LoadPlan, loaded: readonly LoadedSource[]): PreparedInput {
  const { analysis, definition } = plan;
  const expected = (key: string) => analysis.variables.get(key)?.expected ?? 'a value';
  const merged = mergeSources(loaded, {
    keys: analysis.keys,
    cwd: plan.cwd,
    emptyAsUnset: definition.emptyAsUnset ?? true,
    expected,
    maxFileSize: definition.maxFileSize,
  });
  const issues = [...merged.issues];
  const secretKeys = new Set<string>();
  const input: Record<string, unknown> = {};
  for (const [key, info] of analysis.variables) if (info.secret) secretKeys.add(key);
  for (const [key, raw] of merged.values) {
    if (raw.secret || isSecretName(key)) secretKeys.add(key);
    if (raw.value === undefined) continue;
    const info = analysis.variables.get(key);
    if (info === undefined || info.kind === 'string') {
      input[key] = raw.value;
      continue;
    }
    const coerced = coerceValue(info.kind, raw.value, info.itemKind, info.separator);
    if (coerced.ok) input[key] = coerced.value;
    else if (info.lenient) input[key] = raw.value;
    else issues.push(invalidIssue(key, raw, info.expected, coerced.reason, secretKeys.has(key)));
  }
  return { merged, input, issues, secretKeys };
}

function invalidIssue(
  key: string,
  raw: RawValue,
  expected: string,
  message: string,
  secret: boolean,
): ConfigIssue {
  const hidden = isUnprintable(key, secret);
  return {
    key,
    kind: 'invalid',
    expected,
    message: hidden ? scrubMessage(message, raw.value) : message,
    source: raw.origin,
    received: hidden || raw.value === undefined ? undefined : formatReceived(raw.value),
    secret: hidden,
  };
}

/** One validation to run: the whole object, or one member of a record of schemas. */
interface Validation {
  readonly key: string | undefined;
  readonly result: Result | Promise<Result>;
}

function startValidations(plan: LoadPlan, input: Record<string, unknown>): Validation[] {
  const schema: ConfigSchema = plan.definition.schema;
  if (isStandardSchema(schema)) return [{ key: undefined, result: schema['~standard'].validate(input) }];
  return Object.entries(schema).map(([key, member]) => ({
    key,
    result: member['~standard'].validate(input[key]),
  }));
}

function pathKey(segment: PropertyKey | StandardSchemaV1.PathSegment): string {
  return String(typeof segment === 'object' && segment !== null ? segment.key : segment);
}

/** The variable an issue is about, and its message prefixed with the path inside that variable. */
function locateIssue(
  issue: StandardSchemaV1.Issue,
  key: string | undefined,
): { name: string; message: string } {
  const path = (issue.path ?? []).map(pathKey);
  const name = key ?? path.shift() ?? '';
  return { name, message: path.length > 0 ? `at ${path.join('.')}: ${issue.message}` : issue.message };
}

/**
 * Removes every secret value from every message: a refinement on the whole object may quote a
 * secret under another variable's name.
 */
function scrubSecrets(issues: readonly ConfigIssue[], prepared: PreparedInput): ConfigIssue[] {
  const secrets: string[] = [];
  for (const [key, raw] of prepared.merged.values) {
    if (raw.value !== undefined && isUnprintable(key, prepared.secretKeys.has(key))) secrets.push(raw.value);
  }
  if (secrets.length === 0) return [...issues];
  return issues.map((issue) => {
    const message = secrets.reduce((text, value) => scrubMessage(text, value), issue.message);
    const { received } = issue;
    const leaks =
      received !== undefined && secrets.some((value) => scrubMessage(received, value) !== received);
    return { ...issue, message, received: leaks ? undefined : received };
  });
}

/** Builds the frozen configuration, or throws one ConfigError listing every issue. */
function finishLoad(
  plan: LoadPlan,
  prepared: PreparedInput,
  results: ReadonlyArray<{ key: string | undefined; result: Result }>,
): object {
  const issues = [...prepared.issues];
  const reported = new Set(issues.map((issue) => issue.key));
  const messages = new Map<string, string[]>();
  let output: Record<string, unknown> = {};
  for (const { key, result } of results) {
    if (result.issues === undefined) {
      if (key === undefined) output = result.value as Record<string, unknown>;
      else output[key] = result.value;
      continue;
    }
    for (const issue of result.issues) {
      const { name, message } = locateIssue(issue, key);
      if (reported.has(name)) continue;
      messages.set(name, [...(messages.get(name) ?? []), message]);
    }
  }
  for (const [key, list] of messages) {
    const raw = prepared.merged.values.get(key);
    const message = [...new Set(list)].join('; ');
    const expected = plan.analysis.variables.get(key)?.expected ?? 'a valid value';
    if (raw?.value === undefined) {
      issues.push({ key, kind: 'missing', expected, message, secret: prepared.secretKeys.has(key) });
    } else {
      issues.push(invalidIssue(key, raw, expected, message, prepared.secretKeys.has(key)));
    }
  }
  if (issues.length > 0) throw invalidConfigError(scrubSecrets(issues, prepared));
  if (typeof output !== 'object' || output === null) {
    throw new ConfigError(
      'ERR_CONFIG_DEFINITION',
      'The schema did not produce an object; use z.object({...}).',
    );
  }
  // Validators return fresh objects, but a custom one may hand back its input: copy before sealing.
  return sealConfig({ ...output }, prepared.secretKeys);
}

/**
 * Loads the configuration synchronously from the real environment, .env files and secret files,
 * validates it with the schema and returns it typed, deeply frozen, with secrets redacted when
 * serialized. Throws a `ConfigError` (`ERR_CONFIG_INVALID`) listing every missing and invalid
 * variable at once. Use {@link loadConfigAsync} for asynchronous sources or validators.
 *
 * @example
 * const config = loadConfig({
 *   schema: z.object({
 *     PORT: z.number().int().default(3000),
 *     DATABASE_URL: z.url().optional(),
 *     LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
 *   }),
 * });
 * config.PORT; // number
 */
export function loadConfig<const S extends ConfigSchema>(definition: ConfigDefinition<S>): Config<S> {
  const plan = planLoad(definition);
  const prepared = prepareInput(plan, loadSourcesSync(plan));
  const validations = startValidations(plan, prepared.input);
  const results: Array<{ key: string | undefined; result: Result }> = [];
  for (const { key, result } of validations) {
    if (!isPromiseLike(result)) {
      results.push({ key, result });
      continue;
    }
    for (const validation of validations) if (isPromiseLike(validation.result)) discard(validation.result);
    throw new ConfigError(
      'ERR_CONFIG_ASYNC',
      'The schema validates asynchronously (async refinements); use await loadConfigAsync(...) instead.',
    );
  }
  return finishLoad(plan, prepared, results) as Config<S>;
}

/**
 * Loads the configuration like {@link loadConfig}, awaiting asynchronous sources (a vault) and
 * asynchronous validation. Sources are read concurrently; precedence still follows their order.
 *
 * @example
 * const config = await loadConfigAsync({ schema, sources: [vaultSource] });
 */
export async function loadConfigAsync<const S extends ConfigSchema>(
  definition: ConfigDefinition<S>,
): Promise<Config<S>> {
  const plan = planLoad(definition);
  const prepared = prepareInput(plan, await loadSourcesAsync(plan));
  const results = await Promise.all(
    startValidations(plan, prepared.input).map(async ({ key, result }) => ({ key, result: await result })),
  );
  return finishLoad(plan, prepared, results) as Config<S>;
}
