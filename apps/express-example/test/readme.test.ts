import { describeReadmeDiff } from './suite/readme-diff.js';

describeReadmeDiff(new URL('..', import.meta.url).pathname);
