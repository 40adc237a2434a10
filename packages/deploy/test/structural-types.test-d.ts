// The structural types accept the real clients and servers, with no runtime import of them in src.
import { drizzle } from 'drizzle-orm/postgres-js';
import express from 'express';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Check,
  Closable,
  DrizzleDatabase,
  Health,
  PostgresSql,
  RedisPing,
  ShutdownServer,
} from '../src/index.js';
import { healthMiddleware } from '../src/index.js';

/** The middleware slot of a `createApp<State>()` (@plinth/http's Context, typed state, no Request needed). */
type AppMiddleware<State extends object> = (
  ctx: {
    readonly method: string;
    readonly path: string;
    header(name: string): string | undefined;
    readonly signal: AbortSignal;
    readonly request: Request;
    readonly state: State;
    readonly routePath: string | undefined;
    readonly url: URL;
  },
  next: () => Promise<Response>,
) => Promise<Response>;

describe('structural types', () => {
  it('accept postgres.js, drizzle and ioredis clients', () => {
    const sql = postgres();
    expectTypeOf(sql).toExtend<PostgresSql>();
    expectTypeOf(drizzle(sql)).toExtend<DrizzleDatabase>();
    expectTypeOf(new Redis()).toExtend<RedisPing>();
  });

  it('accept an Express server, a Fastify instance and a close()-able server as shutdown servers', () => {
    expectTypeOf(express().listen()).toExtend<ShutdownServer>();
    expectTypeOf(Fastify()).toExtend<ShutdownServer>();
    expectTypeOf<{ close(): Promise<void> }>().toExtend<ShutdownServer>();
    expectTypeOf<{ [Symbol.asyncDispose](): Promise<void> }>().toExtend<Closable>();
    expectTypeOf<{ open(): void }>().not.toExtend<Closable>();
  });

  it('accept a check written as an async function returning nothing', () => {
    expectTypeOf({ name: 'x', run: async () => {} }).toExtend<Check>();
    expectTypeOf({ name: 'x', run: () => ({ status: 'warn' as const }) }).toExtend<Check>();
    expectTypeOf({ name: 'x', run: () => ({ status: 'broken' as const }) }).not.toExtend<Check>();
  });

  it('fits the middleware slot of an app with a typed state', () => {
    expectTypeOf(healthMiddleware({} as Health)).toExtend<AppMiddleware<{ user: string }>>();
  });
});
