export { HttpError, type HttpErrorCode, type HttpErrorOptions, isHttpError, statusTitle } from './errors.js';
export { createRouter, type RouteMatch, type Router, type RouterOptions } from './router.js';
