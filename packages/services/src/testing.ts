// @plinth/services/testing: the contract suites every TransactionRunner and every EventSink pass,
// for yours (and for test doubles) too.
export {
  type ContractTestApi,
  type RunnerFixture,
  type SkippableContext,
  testTransactionRunner,
} from './runner-contract.js';
export { type SinkFixture, testEventSink } from './sink-contract.js';
