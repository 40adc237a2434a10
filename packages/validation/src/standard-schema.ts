// The Standard Schema v1 and Standard JSON Schema v1 interfaces (https://standardschema.dev), declared
// here so that any validator implementing `~standard` works with no runtime dependency on it.

/** A validator that implements the Standard Schema v1 interface (zod 4, valibot, arktype ...). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** The types that belong to {@link StandardSchemaV1}. */
export declare namespace StandardSchemaV1 {
  /** The Standard Schema properties interface. */
  interface Props<Input = unknown, Output = Input> {
    /** The version number of the standard. */
    readonly version: 1;
    /** The vendor name of the schema library. */
    readonly vendor: string;
    /** Validates unknown input values. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** Inferred types associated with the schema. */
    readonly types?: Types<Input, Output> | undefined;
    /** Present when the validator also implements Standard JSON Schema v1 (zod ≥ 4.2). */
    readonly jsonSchema?: StandardJSONSchemaConverter | undefined;
  }
  /** The result of `validate`. */
  type Result<Output> = SuccessResult<Output> | FailureResult;
  /** The result when validation succeeds. */
  interface SuccessResult<Output> {
    /** The typed output value. */
    readonly value: Output;
    /** The absence of issues indicates success. */
    readonly issues?: undefined;
  }
  /** The result when validation fails. */
  interface FailureResult {
    /** The issues of failed validation. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One validation issue. */
  interface Issue {
    /** The error message of the issue. */
    readonly message: string;
    /** The path of the issue, if any. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** One segment of an issue path. */
  interface PathSegment {
    /** The key representing a path segment. */
    readonly key: PropertyKey;
  }
  /** The input and output types of a schema. */
  interface Types<Input = unknown, Output = Input> {
    /** The input type of the schema. */
    readonly input: Input;
    /** The output type of the schema. */
    readonly output: Output;
  }
  /** Infers the input type of a Standard Schema. */
  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input'];
  /** Infers the output type of a Standard Schema. */
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/** Options of one Standard JSON Schema conversion. */
export interface StandardJSONSchemaOptions {
  /** The JSON Schema dialect, e.g. `draft-2020-12`. */
  readonly target: string;
  /** Options the validator library reads (zod: `unrepresentable`, `override` ...). */
  readonly libraryOptions?: Record<string, unknown>;
}

/** The Standard JSON Schema v1 converter (`~standard.jsonSchema`). */
export interface StandardJSONSchemaConverter {
  /** Converts the input type to JSON Schema; may throw when conversion is not supported. */
  readonly input: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
  /** Converts the output type to JSON Schema; may throw when conversion is not supported. */
  readonly output: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
}

/** Whether a value implements the Standard Schema v1 interface. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}
