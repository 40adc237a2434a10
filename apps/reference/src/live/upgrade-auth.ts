// Who may open /live: the access token (query `token`, the `Sec-WebSocket-Protocol: bearer, <token>`
// pair a browser can send, or an Authorization header) and read access to the team in `?team=`.
import type { IncomingMessage } from 'node:http';
import { LiveRefusal } from './refusal.js';

/** What an accepted /live connection is bound to. */
export interface LiveUser {
  readonly userId: string;
  readonly teamId: string;
}

/** The two checks ref-api provides (see REFERENCE-CONTRACT.md). */
export interface LiveAccess {
  authenticate(token: string): Promise<{ userId: string } | undefined>;
  canReadTeam(userId: string, teamId: string): Promise<boolean>;
}

// Team ids are uuids; anything that is not even id-shaped never reaches the database.
const teamIdShape = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The access token of an upgrade request. Browsers cannot set headers on a WebSocket, so they send
 * `new WebSocket(url, ['bearer', token])` (the Kubernetes convention) or `?token=`.
 */
export function tokenOf(request: IncomingMessage, url: URL): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim() || undefined;
  const protocols = request.headers['sec-websocket-protocol']?.split(',').map((value) => value.trim());
  if (protocols?.[0]?.toLowerCase() === 'bearer' && protocols[1]) return protocols[1];
  return url.searchParams.get('token') || undefined;
}

/** Checks an upgrade to /live: 401 without a valid token, 400 without a team, 403 outside the team. */
export function authorizeUpgrade(access: LiveAccess) {
  return async (request: IncomingMessage): Promise<LiveUser> => {
    const url = new URL(request.url ?? '/', 'http://live.invalid');
    const token = tokenOf(request, url);
    if (!token) {
      throw new LiveRefusal(
        401,
        'LIVE_TOKEN_MISSING',
        'Send an access token: /live?team=<teamId>&token=<accessToken>, or the WebSocket subprotocols ["bearer", <accessToken>].',
      );
    }
    const user = await access.authenticate(token);
    if (!user) {
      throw new LiveRefusal(
        401,
        'LIVE_TOKEN_INVALID',
        'The access token is invalid or expired: log in or refresh it, then reconnect.',
      );
    }
    const teamId = url.searchParams.get('team') ?? '';
    if (!teamIdShape.test(teamId)) {
      throw new LiveRefusal(
        400,
        'LIVE_TEAM_INVALID',
        'Name the team to follow: /live?team=<teamId> (an id from GET /teams).',
      );
    }
    if (!(await access.canReadTeam(user.userId, teamId))) {
      throw new LiveRefusal(
        403,
        'LIVE_TEAM_FORBIDDEN',
        'You are not a member of this team: pick one of GET /teams.',
      );
    }
    return { userId: user.userId, teamId };
  };
}
