export { expressHealth } from './adapters/express.js';
