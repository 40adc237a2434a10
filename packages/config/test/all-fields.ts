// Every field of a loaded configuration, secrets (non-enumerable) included, as a plain object for toEqual.

/** The configuration's own fields, enumerable or not, without its `toJSON`. */
export function allFields(config: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(config)) {
    if (key !== 'toJSON') fields[key] = (config as Record<string, unknown>)[key];
  }
  return fields;
}
