export { type NodeHandler, toNodeHandler } from './adapters/node.js';
export { type CloseOptions, type RunningServer, type ServeOptions, serve } from './node-server.js';
