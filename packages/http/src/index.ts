export {
  type App,
  type AppOptions,
  createApp,
  type ErrorHandler,
  type RouteGroup,
  type RouteMethod,
  type RouteOptions,
  type Routes,
} from './app.js';
export type { Body, BodyOptions } from './body.js';
export type { Handler, Middleware, Next } from './compose.js';
export type { Context, Cookies, RouteInfo } from './context.js';
export { type CookieOptions, parseCookies, serializeCookie } from './cookies.js';
export {
  HttpError,
  type HttpErrorCode,
  type HttpErrorOptions,
  type HttpUsageErrorCode,
  type HttpWireCode,
  isHttpError,
} from './errors.js';
export type { PathParams } from './path-params.js';
export { type ProblemDetails, type ProblemFieldError, problem, problemFromError } from './problem.js';
export type { Query } from './query.js';
export { type RawTargetInit, requestWithTarget } from './raw-target.js';
export {
  empty,
  html,
  json,
  type ResponseOptions,
  redirect,
  type StreamSource,
  stream,
  text,
} from './response.js';
export { createRouter, type RouteMatch, type Router, type RouterOptions } from './router.js';
export { defaultCode, statusTitle } from './status.js';
