// What the two code generators share (serializer-compile.ts, schema-check.ts): fresh names, constants
// handed to the generated function as `k[i]` (never spliced into its source), and declared functions.

/** A JS string literal of `text`. */
export const literal = (text: string): string => JSON.stringify(text);

/** The pieces of one generated function's source. */
export class SourceBuilder {
  /** Values the generated code reads as `k[i]`. */
  readonly constants: unknown[] = [];
  /** Functions declared beside the generated one (one per object or array kind). */
  readonly functions: string[] = [];
  #counter = 0;

  /** A fresh identifier starting with `prefix`. */
  name(prefix: string): string {
    return `${prefix}${this.#counter++}`;
  }

  /** The expression reading `value` from the constants (an arrow: passed around as a callback). */
  readonly constant = (value: unknown): string => {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  };
}
