// @plinth/services/testing: the contract suite that every TransactionRunner passes, for yours too.
export {
  type ContractTestApi,
  type RunnerFixture,
  type SkippableContext,
  testTransactionRunner,
} from './runner-contract.js';
