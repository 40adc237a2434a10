// RFC 9457 problem+json for the errors this package raises, member for member as SEAMS §B has it, so an
// adapter can answer on its own and still say what every other Plinth error handler would.
import { RequestBodyError, RequestValidationError } from './errors.js';

const encoder = new TextEncoder();

// RFC 9110 §15 reason phrases of the statuses this package answers.
const titles: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
};

/** A problem response ready to send: status, body and headers (Content-Type and Content-Length). */
export interface ProblemResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Whether an error is one of this package's request errors (a validation or body failure). */
export function isRequestError(error: unknown): error is RequestValidationError | RequestBodyError {
  return error instanceof RequestValidationError || error instanceof RequestBodyError;
}

/** The problem+json answer to a validation or body error. */
export function renderProblem(error: RequestValidationError | RequestBodyError): ProblemResponse {
  const problem: Record<string, unknown> = {
    type: 'about:blank',
    title: titles[error.status] ?? 'Client Error',
    status: error.status,
    detail: error.detail,
    code: error.code,
  };
  if (error instanceof RequestValidationError) problem.errors = error.errors;
  const body = JSON.stringify(problem);
  return {
    status: error.status,
    body,
    headers: {
      // RFC 9457 §3: the media type with no charset parameter.
      'content-type': 'application/problem+json',
      'content-length': String(encoder.encode(body).byteLength),
    },
  };
}
