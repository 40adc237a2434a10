// The framework-free answer a bound definition produces; each adapter writes it in its own way.

/** Status, headers (lower-case names, content-type included) and the serialized body, if any. */
export interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}
