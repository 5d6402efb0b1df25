/**
 * The Standard Schema v1 interface (https://standardschema.dev), written out from the spec so
 * that Armature accepts any validator that implements it — Zod (≥ 3.24), Valibot (≥ 1),
 * ArkType (≥ 2) and others — without a runtime dependency on any of them or on the spec
 * package. Types only: nothing here exists at runtime.
 */

/** A validator that implements Standard Schema v1: everything is under the `~standard` key. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

/** The `~standard` property of a Standard Schema. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the spec; always 1. */
  readonly version: 1;
  /** The library that made the schema, e.g. "zod", "valibot", "arktype". */
  readonly vendor: string;
  /** Validates `value`; synchronous for most schemas, a promise for asynchronous ones. */
  readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
  /** Carries the inferred types; never set at runtime. */
  readonly types?: StandardTypes<Input, Output> | undefined;
}

/** What `validate` returns: the (possibly transformed) value, or the issues found. */
export type StandardResult<Output> = StandardSuccess<Output> | StandardFailure;

export interface StandardSuccess<Output> {
  readonly value: Output;
  /** Absent (or undefined) on success: test `issues` to tell the two results apart. */
  readonly issues?: undefined;
}

export interface StandardFailure {
  readonly issues: ReadonlyArray<StandardIssue>;
}

/** One problem found in the value. */
export interface StandardIssue {
  readonly message: string;
  /** Where in the value: property keys and indexes, bare or wrapped as `{ key }`. */
  readonly path?: ReadonlyArray<PropertyKey | StandardPathSegment> | undefined;
}

export interface StandardPathSegment {
  readonly key: PropertyKey;
}

export interface StandardTypes<Input = unknown, Output = Input> {
  readonly input: Input;
  readonly output: Output;
}

/** The type a schema accepts (before transformations). */
export type InferInput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['input'];

/** The type a schema produces (after transformations): what `validate()` returns. */
export type InferOutput<S extends StandardSchemaV1> = NonNullable<S['~standard']['types']>['output'];
