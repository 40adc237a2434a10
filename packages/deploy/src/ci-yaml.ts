// YAML scalars for the generated workflows: a value is written plain when YAML reads it back as the
// same string, and JSON-quoted otherwise (a JSON string is a valid YAML 1.2 double-quoted scalar).

// Words that YAML 1.1 (GitHub's parser) or 1.2 reads as booleans or null. Numbers (`0o17`, `1e3`,
// `.5`, `.inf`, `5432:5432` in 1.1) all start with a digit, a sign or a dot, which are quoted.
const special = /^(?:true|false|yes|no|on|off|y|n|null)$/i;

/** The YAML text of `value` as a string scalar: plain when safe, else double-quoted. */
export function yamlString(value: string): string {
  return /^[A-Za-z_/][\w ./=+-]*$/.test(value) && !value.endsWith(' ') && !special.test(value)
    ? value
    : JSON.stringify(value);
}
