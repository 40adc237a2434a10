// Type-level behaviour: enqueue takes the schema's input, the handler gets its output.
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createQueue, defineJob, type JobDefinition, memoryDriver } from '../src/index.js';

const resize = defineJob({
  name: 'resize',
  schema: z.object({ url: z.url(), width: z.number().default(800) }),
  handler: (payload) => ({ width: payload.width }),
});
const queue = createQueue({ driver: memoryDriver(), jobs: [resize] });

describe('types', () => {
  it('the handler gets the schema output', () => {
    expectTypeOf(resize.handler).parameter(0).toEqualTypeOf<{ url: string; width: number }>();
    expectTypeOf(resize).toEqualTypeOf<
      JobDefinition<
        { url: string; width: number },
        { width: number },
        { url: string; width?: number | undefined }
      >
    >();
  });

  it('enqueue takes the schema input and refuses anything else', () => {
    void queue.enqueue(resize, { url: 'https://example.com/a.png' });
    // @ts-expect-error width must be a number
    void queue.enqueue(resize, { url: 'https://example.com/a.png', width: '800' });
    // @ts-expect-error url is required
    void queue.enqueue(resize, {});
  });
});
