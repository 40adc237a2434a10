// @plinth/realtime/testing: the contract suite every Broker passes, for yours too. Run it in vitest.
export { type BrokerContractHarness, runBrokerContract } from './broker-contract.js';
