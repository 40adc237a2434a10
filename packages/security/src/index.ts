export {
  cors,
  csrf,
  type PeerOption,
  type RateLimitMiddlewareOptions,
  rateLimit,
  secureHeaders,
} from './adapters/fetch.js';
export { type ClientInfo, type ClientIp, type ClientIpOptions, createClientIp } from './client-ip.js';
export {
  type CompiledCsp,
  type CspDirectives,
  type CspOptions,
  defaultCspDirectives,
} from './content-security-policy.js';
export type { Middleware, MiddlewareContext, RequestView, SecurityState } from './context.js';
export { type Cors, type CorsDecision, type CorsOptions, type CorsOriginEntry, createCors } from './cors.js';
export { type Csrf, type CsrfOptions, type CsrfVerdict, createCsrf } from './csrf.js';
export { csrfField, readCsrfCookie } from './csrf-form.js';
export { type MemoryStoreOptions, memoryStore } from './drivers/memory.js';
export {
  type ForwardErrorsOption,
  SecurityError,
  type SecurityErrorCode,
  SecurityHttpError,
  type SecurityWireCode,
} from './errors.js';
export {
  escapeAttribute,
  escapeHtml,
  escapeJsString,
  escapeUrlComponent,
  html,
  type SafeHtml,
  safeUrl,
  trustedHtml,
} from './escape.js';
export {
  createLoginThrottle,
  type LoginThrottle,
  type LoginThrottleOptions,
  type LoginVerdict,
} from './login-throttle.js';
export {
  createRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitKey,
  type RateLimitPolicy,
  type RateLimitRequest,
} from './rate-limit.js';
export { createSecureHeaders, type SecureHeaders, type SecureHeadersOptions } from './secure-headers.js';
export type { ConsumeRequest, ConsumeResult, RateLimitAlgorithm, RateLimitStore } from './store.js';
