// @plinth/jobs/testing: the contract suite every QueueDriver passes, for yours too. Run it in vitest.
export { type DriverContractHarness, runDriverContract } from './driver-contract.js';
