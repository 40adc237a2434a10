export { healthHandler, type NodeHealthHandler } from './adapters/node.js';
