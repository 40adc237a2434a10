// Any thrown value → RFC 9457 problem+json, following SEAMS §B exactly: an error with an integer
// `status`/`statusCode` in 400..599 keeps it, anything else is a bare 500 that leaks nothing.
import type { Outgoing } from './outgoing.js';
import { defaultCode, statusTitle } from './status.js';

/** The problem body members, in the order SEAMS §B fixes. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: Array<{ pointer?: string; message: string; code?: string }>;
}

type Loose = Record<string, unknown>;

function statusOf(error: Loose): number {
  const status = Number.isInteger(error.status) ? error.status : error.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : 500;
}

function fieldErrors(value: unknown): ProblemDetails['errors'] {
  if (!Array.isArray(value)) return undefined;
  const errors: NonNullable<ProblemDetails['errors']> = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { pointer, message, code } = item as Loose;
    const entry: NonNullable<ProblemDetails['errors']>[number] = { message: String(message ?? '') };
    if (typeof pointer === 'string') entry.pointer = pointer;
    if (typeof code === 'string') entry.code = code;
    errors.push(entry);
  }
  return errors;
}

/** The problem body and headers for any thrown value. */
export function problemOf(thrown: unknown): { body: ProblemDetails; headers: Record<string, string> } {
  const error = (thrown !== null && typeof thrown === 'object' ? thrown : {}) as Loose;
  const status = statusOf(error);
  const expose = typeof error.expose === 'boolean' ? error.expose : status < 500;
  const body = {
    type: expose && typeof error.type === 'string' ? error.type : 'about:blank',
    title: expose && typeof error.title === 'string' ? error.title : statusTitle(status),
    status,
  } as ProblemDetails;
  if (expose) {
    const detail =
      typeof error.detail === 'string'
        ? error.detail
        : typeof error.message === 'string' && error.message !== ''
          ? error.message
          : undefined;
    if (detail !== undefined) body.detail = detail;
  }
  body.code = expose && typeof error.code === 'string' ? error.code : defaultCode(status);
  const errors = expose ? fieldErrors(error.errors) : undefined;
  if (errors !== undefined) body.errors = errors;
  const headers: Record<string, string> = {};
  if (error.headers !== null && typeof error.headers === 'object') {
    for (const [name, value] of Object.entries(error.headers as Loose)) {
      const lower = name.toLowerCase();
      if (typeof value === 'string' && lower !== 'content-type' && lower !== 'content-length') {
        headers[lower] = value;
      }
    }
  }
  return { body, headers };
}

/** The outgoing problem+json answer for any thrown value. */
export function problemResponse(thrown: unknown): Outgoing {
  const { body, headers } = problemOf(thrown);
  headers['content-type'] = 'application/problem+json';
  return { status: body.status, headers, body: JSON.stringify(body) };
}
