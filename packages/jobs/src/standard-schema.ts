// The Standard Schema interface (standardschema.dev), declared here so no validator is a dependency:
// zod 4, valibot and arktype schemas all carry this `~standard` property.
import type { PayloadIssue } from './errors.js';

/** Any Standard Schema v1: validates `Input` into `Output`. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: Output; readonly issues?: undefined }
      | { readonly issues: readonly PayloadIssue[] }
      | Promise<
          | { readonly value: Output; readonly issues?: undefined }
          | { readonly issues: readonly PayloadIssue[] }
        >;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}
