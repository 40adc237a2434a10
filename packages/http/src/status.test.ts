import { describe, expect, it } from 'vitest';
import { defaultCode, statusTitle } from './status.js';

describe('statusTitle and defaultCode', () => {
  it.each([
    [400, 'Bad Request', 'BAD_REQUEST'],
    [404, 'Not Found', 'NOT_FOUND'],
    [407, 'Proxy Authentication Required', 'PROXY_AUTHENTICATION_REQUIRED'],
    [413, 'Content Too Large', 'CONTENT_TOO_LARGE'],
    [422, 'Unprocessable Content', 'UNPROCESSABLE_CONTENT'],
    [451, 'Unavailable For Legal Reasons', 'UNAVAILABLE_FOR_LEGAL_REASONS'],
    [499, 'Client Error', 'CLIENT_ERROR'],
    [500, 'Internal Server Error', 'INTERNAL_SERVER_ERROR'],
    [505, 'HTTP Version Not Supported', 'HTTP_VERSION_NOT_SUPPORTED'],
    [599, 'Server Error', 'SERVER_ERROR'],
  ])('%i is "%s" with code %s', (status, title, code) => {
    expect(statusTitle(status)).toBe(title);
    expect(defaultCode(status)).toBe(code);
  });
});
