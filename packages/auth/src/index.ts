export {
  AuthError,
  type AuthErrorCode,
  ForbiddenError,
  UnauthenticatedError,
} from './errors.js';
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
export { createRemoteJwks, type RemoteJwks, type RemoteJwksOptions } from './remote-jwks.js';
export { createTokenSigner, type TokenSigner, type TokenSignerOptions } from './token-signer.js';
export {
  createTokenVerifier,
  type TokenDecryptionOptions,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedToken,
} from './token-verifier.js';
