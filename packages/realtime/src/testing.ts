// @plinth/realtime/testing: the contract suite every Broker passes, for yours too. Hand it your runner.
export { type BrokerContractHarness, runBrokerContract, type TestApi } from './broker-contract.js';
