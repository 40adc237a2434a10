// Type-level parsing of route patterns, so `app.get('/users/:id', ctx => ctx.params.id)` is a `string`.

type NameChar =
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'e'
  | 'f'
  | 'g'
  | 'h'
  | 'i'
  | 'j'
  | 'k'
  | 'l'
  | 'm'
  | 'n'
  | 'o'
  | 'p'
  | 'q'
  | 'r'
  | 's'
  | 't'
  | 'u'
  | 'v'
  | 'w'
  | 'x'
  | 'y'
  | 'z'
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  | 'K'
  | 'L'
  | 'M'
  | 'N'
  | 'O'
  | 'P'
  | 'Q'
  | 'R'
  | 'S'
  | 'T'
  | 'U'
  | 'V'
  | 'W'
  | 'X'
  | 'Y'
  | 'Z'
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '_'
  | '$';

type TakeName<Text extends string, Name extends string = ''> = Text extends `${infer Char}${infer Rest}`
  ? Char extends NameChar
    ? TakeName<Rest, `${Name}${Char}`>
    : [Name, Text]
  : [Name, Text];

type WildcardOf<Path extends string> = Path extends `${string}*${infer Name}`
  ? { [K in Name extends '' ? '*' : Name]: string }
  : {};

type ParamsOf<Path extends string> = Path extends `${infer Head}:${infer Rest}`
  ? Rest extends `:${infer Tail}`
    ? WildcardOf<Head> & ParamsOf<Tail>
    : TakeName<Rest> extends [infer Name extends string, infer Tail extends string]
      ? Tail extends `?${string}`
        ? { [K in Name]?: string }
        : { [K in Name]: string } & ParamsOf<Tail>
      : {}
  : WildcardOf<Path>;

/**
 * The params object of a route pattern: `PathParams<'/users/:id'>` is `{ id: string }`, an optional
 * `/:page?` gives `page?: string`, a tail `/*` gives `'*': string`; only those names. A path typed
 * as plain `string` gives `Record<string, string>`.
 */
export type PathParams<Path extends string> = string extends Path
  ? Record<string, string>
  : // No index signature: a misspelled `ctx.params.ID` on `/users/:id` does not compile.
    { [K in keyof ParamsOf<Path>]: ParamsOf<Path>[K] };
