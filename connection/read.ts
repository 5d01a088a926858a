// Readers for the connection spec. The general field readers live in common/readers.ts; this adds what only a spec
// needs (a setting a spec file must spell out).
import type { Problems } from "../common/readers";

/**
 * An optional setting: its value, the default when it is absent from config, or (absent from a spec file, which
 * always spells everything out) a "missing" problem. An invalid value gives undefined; the problem is already noted.
 */
export function withDefault<T>(
  raw: unknown,
  read: () => T | undefined,
  field: string,
  p: Problems,
  fallback: T | undefined,
): T | undefined {
  if (raw !== undefined) return read();
  if (fallback === undefined)
    p.add(
      field,
      "is required in a connection spec",
      "write the spec with `pulumi stack output --json`, which always includes it",
    );
  return fallback;
}
