// The Standard Schema interface (standardschema.dev), declared here so no validator is a dependency.

/** One issue a Standard Schema reports. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

type Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly SchemaIssue[] };

/** Any Standard Schema v1 (zod 4, valibot, arktype): validates `Input` into `Output`. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The output type of a Standard Schema. */
export type SchemaOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/** A one-line summary of the first issue: `/path/to: message`. */
export function summarizeIssues(issues: readonly SchemaIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid message';
  const path = (first.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
  return path.length > 0 ? `/${path.join('/')}: ${first.message}` : first.message;
}
