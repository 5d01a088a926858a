// Helpers over the zod schemas that define each input shape (connection/schema.ts, emulator/schema.ts, …).
import type { z } from "zod";

/**
 * The keys of an object schema, in declaration order: the field readers' lists of known keys (common/readers.ts), so
 * a key added to a schema is accepted by its reader and named in its "did you mean" hints.
 */
export function keysOf<S extends z.ZodRawShape>(schema: { readonly shape: S }): (keyof S & string)[] {
  return Object.keys(schema.shape) as (keyof S & string)[];
}

/** The value a zod issue's path points at in the parsed input (undefined where the path leaves it). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A zod issue's path the way the kit's messages name a field: `web.redirect_uris[0]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}
