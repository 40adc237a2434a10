// @plinth/testing: in-process requests, factories, database isolation, eventually, seam doubles.
export { CookieJar, parseSetCookie, type ResponseCookie } from './cookie-jar.js';
export { TestingError, type TestingErrorCode } from './errors.js';
export { type EventuallyOptions, eventually } from './eventually.js';
export { createInjector, type InjectOptions, type Injector, inject } from './inject.js';
export type { InjectBody, InjectRequest } from './inject-request.js';
export { InjectResponse } from './inject-response.js';
export type { FastifyLike, FetchHandler, InjectTarget, NodeServerLike } from './inject-target.js';
export type { NodeHandler } from './node-exchange.js';
