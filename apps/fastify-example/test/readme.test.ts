import { describeReadmeDiff } from '../../express-example/test/suite/readme-diff.js';

describeReadmeDiff(new URL('..', import.meta.url).pathname);
