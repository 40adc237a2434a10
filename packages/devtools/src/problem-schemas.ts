// The problem+json errors every operation can answer (SEAMS §B, §I), as shared OpenAPI components:
// schemas Problem, ProblemError, ValidationProblem and the responses that use them.
import type { JsonSchema } from './schema-components.js';

// RFC 9110 §15 reason phrases, plus 428/429/431 (RFC 6585) and 451 (RFC 7725): the `title` of a problem.
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** The reason phrase of a status (SEAMS §B): the table above, else "Client Error" / "Server Error" / "Response". */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'Response');
}

/** The media type of every error body. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** `components.schemas` devtools adds: the problem body of SEAMS §B and the validation failure of §I. */
export function problemSchemas(): Record<string, JsonSchema> {
  return {
    Problem: {
      type: 'object',
      description: 'An error as RFC 9457 problem details.',
      properties: {
        type: { type: 'string', description: 'A URI naming the problem type; "about:blank" when none.' },
        title: { type: 'string', description: 'The reason phrase of the status, or a short summary.' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        detail: { type: 'string', description: 'What went wrong in this occurrence.' },
        code: { type: 'string', description: 'A stable machine-readable code, e.g. NOT_FOUND.' },
        errors: { type: 'array', items: { $ref: '#/components/schemas/ProblemError' } },
        instance: { type: 'string' },
        requestId: { type: 'string' },
        traceId: { type: 'string' },
      },
      required: ['type', 'title', 'status', 'code'],
    },
    ProblemError: {
      type: 'object',
      description: 'One invalid field.',
      properties: {
        pointer: {
          type: 'string',
          description: 'RFC 6901 JSON Pointer rooted at the request part, e.g. /body/items/3/qty.',
        },
        message: { type: 'string' },
        code: {
          type: 'string',
          description: "The validator's issue code (too_small, invalid_type ...) or invalid.",
        },
      },
      required: ['message'],
    },
    ValidationProblem: {
      allOf: [
        { $ref: '#/components/schemas/Problem' },
        {
          type: 'object',
          properties: { code: { const: 'VALIDATION_FAILED' } },
          required: ['detail', 'errors'],
        },
      ],
    },
  };
}

/** `components.responses` devtools adds; operations reference them by `$ref`. */
export function problemResponses(validationStatus: number): Record<string, JsonSchema> {
  const problem = (description: string, schema = 'Problem') => ({
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `#/components/schemas/${schema}` } } },
  });
  return {
    Problem: problem('An error, as problem+json.'),
    ValidationFailed: problem(
      `The request failed validation (${validationStatus} VALIDATION_FAILED, one errors[] item per field)${validationStatus === 400 ? ', or its body is malformed (MALFORMED_BODY)' : ''}.`,
      'ValidationProblem',
    ),
    MalformedBody: problem('The body is malformed: bad JSON, invalid UTF-8 or empty (MALFORMED_BODY).'),
    ContentTooLarge: problem('The body is over the size limit (CONTENT_TOO_LARGE).'),
    UnsupportedMediaType: problem('The content type is not accepted (UNSUPPORTED_MEDIA_TYPE).'),
    Unauthorized: problem('Missing or invalid credentials.'),
  };
}
