import { describe, expect, it } from 'vitest';
import * as express from './express.js';
import * as fastify from './fastify.js';
import * as core from './index.js';
import * as node from './node.js';

describe('public API', () => {
  it('exports exactly these names from every entry point', () => {
    expect({
      '.': Object.keys(core).sort(),
      './node': Object.keys(node).sort(),
      './express': Object.keys(express).sort(),
      './fastify': Object.keys(fastify).sort(),
    }).toMatchInlineSnapshot(`
      {
        ".": [
          "HttpError",
          "createApp",
          "createRouter",
          "defaultCode",
          "empty",
          "html",
          "isHttpError",
          "json",
          "parseCookies",
          "problem",
          "problemFromError",
          "redirect",
          "requestWithTarget",
          "serializeCookie",
          "statusTitle",
          "stream",
          "text",
        ],
        "./express": [
          "expressHost",
          "plinthExpress",
          "rawBody",
        ],
        "./fastify": [
          "fastifyHost",
          "plinthFastify",
        ],
        "./node": [
          "serve",
          "toNodeHandler",
        ],
      }
    `);
  });
});
