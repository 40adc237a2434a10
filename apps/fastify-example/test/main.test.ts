import { describeMainProcess } from '../../express-example/test/suite/main-process.js';

describeMainProcess(new URL('..', import.meta.url).pathname);
