// The parameters a path pattern names, as a type: `/users/:id/posts/:postId` → { id; postId }.

type Segment<S extends string> = S extends `:${infer Name}` ? Name : S extends '*' ? '*' : never;

type Names<P extends string> = P extends `${infer Head}/${infer Rest}`
  ? Segment<Head> | Names<Rest>
  : Segment<P>;

/** The string parameters of a path pattern (`:name` segments and a final `*`). */
export type PathParams<P extends string> = { [K in Names<P>]: string };
