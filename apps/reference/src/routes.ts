// The API's routes, declared once as handler definitions: the schemas validate the input, shape the
// output, and describe the OpenAPI document served at /openapi.json.
import { defineHandler } from '@plinth/handlers';
import { z } from 'zod';
import { authRoutes } from './auth-routes.js';
import { taskRoutes } from './task-routes.js';
import { teamRoutes } from './team-routes.js';

const aboutSchema = z.object({
  name: z.string(),
  description: z.string(),
  links: z.record(z.string(), z.string()),
});

// Kept free of database and auth work: `pnpm bench` measures the composed stack on this route.
export const about = defineHandler({
  method: 'GET',
  path: '/',
  summary: 'About this service',
  tags: ['service'],
  security: [],
  schema: { response: { 200: aboutSchema } },
  handle: () => ({
    name: 'plinth-reference',
    description: 'The Plinth team task tracker',
    links: {
      signup: '/auth/signup',
      login: '/auth/login',
      me: '/me',
      teams: '/teams',
      board: '/board',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/healthz',
      liveness: '/livez',
      readiness: '/readyz',
    },
  }),
});

/** Every route of the API, in the order they are bound. */
export const api = [about, ...authRoutes, ...teamRoutes, ...taskRoutes] as const;
