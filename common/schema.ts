// Helpers over the zod schemas that define each input shape (connection/schema.ts, emulator/schema.ts, …).
import type { z } from "zod";

/**
 * The keys of an object schema, in declaration order: the field readers' lists of known keys (common/readers.ts), so
 * a key added to a schema is accepted by its reader and named in its "did you mean" hints.
 */
export function keysOf<S extends z.ZodRawShape>(schema: { readonly shape: S }): (keyof S & string)[] {
  return Object.keys(schema.shape) as (keyof S & string)[];
}
