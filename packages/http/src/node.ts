export {
  type CloseOptions,
  type NodeHandler,
  type RunningServer,
  type ServeOptions,
  serve,
  toNodeHandler,
} from './adapters/node.js';
