// @plinth/services/testing: the contract suites every TransactionRunner, every EventSink and every
// store of idempotent commands pass — for yours (and for test doubles) too.
export { type IdempotencyFixture, testIdempotency } from './idempotency-contract.js';
export {
  type ContractTestApi,
  type RunnerFixture,
  type SkippableContext,
  testTransactionRunner,
} from './runner-contract.js';
export { type SinkFixture, testEventSink } from './sink-contract.js';
