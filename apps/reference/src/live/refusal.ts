// Why /live refused an upgrade: an error of the http-errors convention, so @plinth/realtime answers
// it with its status and a problem+json body before any socket opens.

/** The codes a refused /live upgrade carries. */
export type LiveRefusalCode =
  | 'LIVE_TOKEN_MISSING'
  | 'LIVE_TOKEN_INVALID'
  | 'LIVE_TEAM_INVALID'
  | 'LIVE_TEAM_FORBIDDEN';

/** An upgrade to /live refused with a 4xx status; the message says what the client should send. */
export class LiveRefusal extends Error {
  readonly status: number;
  readonly code: LiveRefusalCode;
  readonly expose = true;

  constructor(status: 400 | 401 | 403, code: LiveRefusalCode, message: string) {
    super(message);
    this.name = 'LiveRefusal';
    this.status = status;
    this.code = code;
  }
}
