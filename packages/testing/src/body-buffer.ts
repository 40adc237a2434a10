// The body of a node response as the app writes it: buffered until a test reads it, then either
// handed over whole (text()/json(), no stream built: the bench's common case) or as a ReadableStream.

/** Where an InjectResponse reads its body from. */
export interface BodySource {
  /** The body as a stream; called at most once. */
  stream(): ReadableStream<Uint8Array>;
  /** The whole body once the app ended it; only when no stream was taken. */
  readAll?(): Promise<Uint8Array>;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Chunks written by the app, until it ends or the client hangs up. */
export class BodyBuffer implements BodySource {
  #chunks: Uint8Array[] = [];
  #open = true;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  readonly #ended: Promise<void>;
  #resolveEnded!: () => void;
  readonly #onCancel: () => void;

  /** `onCancel` runs when the reader cancels the stream (the client hangs up). */
  constructor(onCancel: () => void) {
    this.#onCancel = onCancel;
    this.#ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Adds a chunk (copied: the app may reuse its buffer). */
  push(bytes: Uint8Array): void {
    if (!this.#open || bytes.byteLength === 0) return;
    const copy = new Uint8Array(bytes);
    if (this.#controller) this.#controller.enqueue(copy);
    else this.#chunks.push(copy);
  }

  /** The app ended the body, or the client went away: readers see the end. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller?.close();
    this.#resolveEnded();
  }

  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        for (const chunk of this.#chunks) controller.enqueue(chunk);
        this.#chunks = [];
        if (this.#open) this.#controller = controller;
        else controller.close();
      },
      cancel: () => {
        this.#open = false;
        this.#controller = undefined;
        this.#resolveEnded();
        this.#onCancel();
      },
    });
  }

  async readAll(): Promise<Uint8Array> {
    await this.#ended;
    const bytes = concat(this.#chunks);
    this.#chunks = [];
    return bytes;
  }
}
