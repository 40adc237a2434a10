// Reason phrases (RFC 9110 §15, RFC 6585, RFC 7725) and the problem+json body for a refused upgrade.

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
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
};

/** The reason phrase of an HTTP status. */
export function reasonPhrase(status: number): string {
  return reasons[status] ?? (status < 500 ? 'Client Error' : 'Server Error');
}

/** The status, exposure and problem+json body of any thrown value (the http-errors convention). */
export function describeHttpError(error: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const raw = source.status ?? source.statusCode;
  const status =
    Number.isInteger(raw) && (raw as number) >= 400 && (raw as number) <= 599 ? (raw as number) : 500;
  const expose = typeof source.expose === 'boolean' ? source.expose : status < 500;
  const title = expose && typeof source.title === 'string' ? source.title : reasonPhrase(status);
  const body: Record<string, unknown> = {
    type: expose && typeof source.type === 'string' ? source.type : 'about:blank',
    title,
    status,
  };
  if (expose) {
    const detail = typeof source.detail === 'string' ? source.detail : source.message;
    if (typeof detail === 'string' && detail !== '') body.detail = detail;
  }
  body.code =
    expose && typeof source.code === 'string'
      ? source.code
      : reasonPhrase(status)
          .toUpperCase()
          .replace(/[^A-Z0-9]+/g, '_');
  const headers: Record<string, string> = {};
  if (typeof source.headers === 'object' && source.headers !== null) {
    for (const [name, value] of Object.entries(source.headers)) {
      if (typeof value === 'string' && !/^content-(type|length)$/i.test(name)) headers[name] = value;
    }
  }
  return { status, body, headers };
}
