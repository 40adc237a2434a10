// @plinth/jobs/testing: the contract suite every QueueDriver passes, for yours too. Pass your runner's describe/it/expect/afterEach.
export { type DriverContractHarness, runDriverContract, type TestApi } from './driver-contract.js';
