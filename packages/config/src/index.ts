export type { CoercionKind } from './coercion-kind.js';
export type {
  Config,
  ConfigDefinition,
  ConfigOutput,
  ConfigSchema,
  ConfigShape,
  DeepReadonly,
} from './definition.js';
export { defineConfig } from './definition.js';
export { parseDuration } from './duration.js';
export { type EnvFileOptions, envFileNames, envFileSource } from './env-file.js';
export type { EnvHelper, EnvOptions, EnvOutput, EnvSchema, ListOptions } from './env-schema.js';
export { env } from './env-schema.js';
export type { ConfigErrorCode, ConfigIssue } from './errors.js';
export { ConfigError, configErrorCodes, isConfigError } from './errors.js';
export { generateExample } from './example.js';
export { loadConfig, loadConfigAsync } from './load-config.js';
export { processEnvSource } from './process-env-source.js';
export { secret } from './secret.js';
export {
  readSecretFile,
  type SecretFileOptions,
  secretFileVariable,
  secretsDirSource,
} from './secret-files.js';
export type { ConfigSource, ConfigValues } from './source.js';
export type { StandardSchemaV1 } from './standard-schema.js';
