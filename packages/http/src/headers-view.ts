// A Headers view: an object that passes for a WHATWG Headers (instanceof, toString, its constructor) and answers
// the members it cannot do cheaply from a real Headers it fills once. ctx.request's headers on node
// (node-fetch-request.ts) and the headers of a helper-made Response (response-headers.ts) are views.

/** Internal: iteration through the real Headers; subclasses answer get/set/... themselves. */
export abstract class HeadersView {
  /** The real Headers that answers what the view does not (made on first use). */
  protected abstract real(): Headers;

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.real().forEach((value, key) => {
      callback.call(thisArg, value, key, this as unknown as Headers);
    });
  }

  keys(): HeadersIterator<string> {
    return this.real().keys();
  }

  values(): HeadersIterator<string> {
    return this.real().values();
  }

  entries(): HeadersIterator<[string, string]> {
    return this.real().entries();
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.real().entries();
  }
}

// instanceof Headers holds; `new Headers(view)`, fetch(url, { headers: view }) and the Request and Response
// constructors read a view through its own iterator, as they read any headers sequence.
Object.setPrototypeOf(HeadersView.prototype, Headers.prototype);

/** Internal: makes `view.constructor` Headers for a subclass's instances, as a real Headers has it. */
export function reportAsHeaders(prototype: object): void {
  Object.defineProperty(prototype, 'constructor', { value: Headers, writable: true, configurable: true });
}
