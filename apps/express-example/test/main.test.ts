import { describeMainProcess } from './suite/main-process.js';

describeMainProcess(new URL('..', import.meta.url).pathname);
