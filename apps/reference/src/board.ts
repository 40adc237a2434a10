// The live board's page (public/board.html, written by the live side of the app) and the team event
// stream it listens to. Both are mounted only when the app is given the live features.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from '@plinth/http';
import { NotFoundError } from '@plinth/observability';
import { type Middleware, type SecureHeadersOptions, secureHeaders } from '@plinth/security';
import type { EventSink } from '@plinth/services';
import { canReadTeam } from './access.js';
import type { AuthKit } from './auth.js';
import { callerId } from './caller.js';
import type { AppDatabase } from './database.js';

/** What the live side gives the app (src/live: `createLive(...)`), as far as the app uses it. */
export interface LiveFeatures {
  /** Receives every committed domain event from the outbox relay. */
  sink: EventSink;
  /** Serves the WebSocket endpoint on the node server. */
  attach(server: import('node:http').Server): void;
  /** A text/event-stream of the team's events (Last-Event-ID resume). */
  sse(request: Request, teamId: string, userId: string): Response;
  close(): Promise<void>;
}

/** The board page: one level up from src/ and from dist/ alike. */
export const boardFile = fileURLToPath(new URL('../public/board.html', import.meta.url));

/**
 * The secure headers of the board page: its inline scripts are allowed by their SHA-256 (CSP Level 2),
 * read once at start, so nothing else inline runs and styles keep helmet's default.
 */
export function boardHeaders(page: string, options: SecureHeadersOptions = {}): Middleware {
  const hashes = [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) =>
      `'sha256-${createHash('sha256')
        .update(match[1] ?? '')
        .digest('base64')}'`,
  );
  const csp = options.contentSecurityPolicy === false ? {} : options.contentSecurityPolicy;
  return secureHeaders({
    ...options,
    contentSecurityPolicy: { ...csp, directives: { ...csp?.directives, scriptSrc: ["'self'", ...hashes] } },
  });
}

/** Mounts GET /board and GET /teams/:teamId/events. */
export function mountBoard(
  app: App,
  live: LiveFeatures,
  db: AppDatabase,
  auth: AuthKit,
  headers: SecureHeadersOptions = {},
): void {
  const page = existsSync(boardFile) ? readFileSync(boardFile, 'utf8') : undefined;
  app.get(
    '/board',
    {
      meta: { summary: "The live board of a team's tasks (HTML)", tags: ['live'], security: [] },
      ...(page !== undefined && { middleware: [boardHeaders(page, headers)] }),
    },
    () => {
      if (page === undefined) throw new NotFoundError('The board page (public/board.html) is not installed.');
      return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    },
  );

  app.get(
    '/teams/:teamId/events',
    {
      meta: {
        summary: "The team's task events as Server-Sent Events",
        description:
          'Authenticated by bearer token, session cookie, or `?token=<accessToken>` (EventSource cannot send headers). Resumes after `Last-Event-ID`.',
        tags: ['live'],
      },
    },
    async (ctx) => {
      const token = ctx.query.get('token');
      const fromQuery = token ? await auth.authenticateToken(token) : undefined;
      const userId = fromQuery?.userId ?? callerId({ raw: ctx });
      if (!(await canReadTeam(db, userId, ctx.params.teamId))) {
        throw new NotFoundError(`There is no team "${ctx.params.teamId}" you belong to.`);
      }
      return live.sse(ctx.request, ctx.params.teamId, userId);
    },
  );
}
