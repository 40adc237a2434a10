export { authenticate, requirePermission } from './adapters/fetch.js';
export {
  type ApiKeys,
  type ApiKeysOptions,
  createApiKeys,
  type IssuedApiKey,
  type StoredApiKey,
} from './api-keys.js';
export type { AuthenticateOptions } from './authenticate.js';
export {
  type AttributeRef,
  type ConditionOperators,
  type Conditions,
  type ConditionValue,
  type Operator,
  ref,
} from './conditions.js';
export type { Middleware, MiddlewareContext } from './context.js';
export { type MemoryTokenStoreOptions, memoryTokenStore } from './drivers/memory.js';
export {
  type AuthClientCode,
  AuthError,
  type AuthErrorCode,
  type AuthErrorReason,
  ForbiddenError,
  type ForwardErrorsOption,
  UnauthenticatedError,
} from './errors.js';
export { type Filter, toPredicate } from './filter.js';
export type { GuardDecision, PermissionCheck } from './guard.js';
export type { KeyResolver } from './key-resolver.js';
export {
  generateSigningKey,
  importSigningKey,
  jwksResponse,
  type KeyLike,
  publicJwks,
  type SigningAlgorithm,
  type SigningKey,
  type SigningKeySource,
} from './keys.js';
export {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
  type PasswordVerification,
} from './password.js';
export {
  createPolicy,
  definePolicy,
  type Explanation,
  type Policy,
  type PolicyBuilder,
  type RuleExtras,
} from './policy.js';
export { type Principal, principalFromClaims } from './principal.js';
export { createRbac, hasPermission, type Rbac, type RoleDefinition } from './rbac.js';
export {
  createRefreshTokens,
  type IssuedRefreshToken,
  type RefreshTokens,
  type RefreshTokensOptions,
} from './refresh-tokens.js';
export { createRemoteJwks, type RemoteJwks, type RemoteJwksOptions } from './remote-jwks.js';
export type {
  CheckOptions,
  Decision,
  DecisionRecord,
  PolicyOptions,
  PolicySubject,
  Rule,
} from './rules.js';
export { createSessions, type SessionData, type Sessions, type SessionsOptions } from './sessions.js';
export type { ConsumeResult, RefreshRecord, TokenStore } from './store.js';
export { createTokenSigner, type TokenSigner, type TokenSignerOptions } from './token-signer.js';
export {
  createTokenVerifier,
  type TokenDecryptionOptions,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './token-verifier.js';
