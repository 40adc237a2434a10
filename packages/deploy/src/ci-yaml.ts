// YAML scalars for the generated workflows: a value is written plain when YAML reads it back as the
// same string, and JSON-quoted otherwise (a JSON string is a valid YAML 1.2 double-quoted scalar).

// Plain scalars that YAML 1.1 (GitHub's parser) or 1.2 would read as booleans, null or numbers.
const special = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+.\d][\d._:eE+-]*)$/i;

/** The YAML text of `value` as a string scalar: plain when safe, else double-quoted. */
export function yamlString(value: string): string {
  return /^[\w./][\w ./=+-]*$/.test(value) && !value.endsWith(' ') && !special.test(value)
    ? value
    : JSON.stringify(value);
}
