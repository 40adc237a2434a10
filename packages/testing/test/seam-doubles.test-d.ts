// The doubles are the real seams' types: each assigns to the interface its package declares, and each
// seam declared here (no import at run time) accepts every real driver, so neither side can drift.
import type { ConsumeResult as AuthConsumeResult, TokenStore as AuthTokenStore } from '@plinth/auth';
import { memoryTokenStore } from '@plinth/auth';
import type { NewJob, QueueDriver } from '@plinth/jobs';
import { memoryDriver } from '@plinth/jobs';
import type { redisDriver } from '@plinth/jobs/redis';
import type { Broker as RealtimeBroker } from '@plinth/realtime';
import { memoryBroker } from '@plinth/realtime';
import type { EventSink as ServicesEventSink } from '@plinth/services';
import { memorySink } from '@plinth/services';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type Broker,
  type ConsumeResult,
  type EventSink,
  type NewJobLike,
  type QueueDriverLike,
  recordingBroker,
  recordingEventSink,
  recordingQueueDriver,
  recordingTokenStore,
  type TokenStore,
} from '../src/index.js';

describe('the doubles are the real interfaces', () => {
  it('recordingTokenStore() is an @plinth/auth TokenStore', () => {
    const store: AuthTokenStore = recordingTokenStore();
    expectTypeOf(store.name).toBeString();
    expectTypeOf(recordingTokenStore()).toExtend<AuthTokenStore>();
  });

  it('recordingQueueDriver(memoryDriver()) is an @plinth/jobs QueueDriver, and keeps its type', () => {
    const driver: QueueDriver = recordingQueueDriver(memoryDriver());
    expectTypeOf(driver.name).toBeString();
    expectTypeOf(recordingQueueDriver(memoryDriver())).toExtend<QueueDriver>();
    expectTypeOf(recordingQueueDriver(memoryDriver()).list).toEqualTypeOf<QueueDriver['list']>();
  });

  it('recordingBroker() is an @plinth/realtime Broker', () => {
    const broker: RealtimeBroker = recordingBroker();
    expectTypeOf(broker.name).toBeString();
    expectTypeOf(recordingBroker().connect()).toExtend<RealtimeBroker>();
  });

  it('recordingEventSink() is an @plinth/services EventSink', () => {
    expectTypeOf(recordingEventSink()).toExtend<ServicesEventSink>();
  });
});

describe('the seams declared here accept the real drivers', () => {
  it('matches auth, realtime and services both ways', () => {
    expectTypeOf<AuthTokenStore>().toExtend<TokenStore>();
    expectTypeOf<TokenStore>().toExtend<AuthTokenStore>();
    expectTypeOf<AuthConsumeResult>().toEqualTypeOf<ConsumeResult>();
    expectTypeOf(memoryTokenStore()).toExtend<TokenStore>();
    expectTypeOf<RealtimeBroker>().toExtend<Broker>();
    expectTypeOf<Broker>().toExtend<RealtimeBroker>();
    expectTypeOf(memoryBroker()).toExtend<Broker>();
    expectTypeOf<ServicesEventSink>().toExtend<EventSink>();
    expectTypeOf(memorySink()).toExtend<EventSink>();
  });

  it('wraps every jobs driver, and records the jobs as jobs declares them', () => {
    expectTypeOf<QueueDriver>().toExtend<QueueDriverLike>();
    expectTypeOf<ReturnType<typeof redisDriver>>().toExtend<QueueDriverLike>();
    expectTypeOf<NewJob>().toExtend<NewJobLike>();
    expectTypeOf<NewJobLike>().toExtend<NewJob>();
  });

  it('refuses what is not a QueueDriver', () => {
    // @ts-expect-error a TokenStore is not a QueueDriver
    recordingQueueDriver(recordingTokenStore());
  });
});
