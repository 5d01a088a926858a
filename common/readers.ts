// Field-level readers for untyped input (stack config, a spec file, an emulator scenario, admin arguments). Each
// reader checks one value's shape, records a precise problem under the field's full name, and carries on, so one pass
// reports every problem at once.
import { describeJsonError } from "./json";
import { InputError, InputErrors } from "./errors";

export class Problems {
  readonly errors: InputError[] = [];

  add(field: string, problem: string, fix?: string): void {
    this.errors.push(new InputError(field, problem, fix));
  }

  get empty(): boolean {
    return this.errors.length === 0;
  }
}

export const child = (field: string, key: string): string => `${field}.${key}`;
export const item = (field: string, index: number): string => `${field}[${index}]`;

/** Pulumi hands structured config over as JSON text; decode it where an object or list is expected. */
function decodeStructured(value: unknown, field: string, p: Problems): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return value;
  try {
    return JSON.parse(t);
  } catch (e) {
    p.add(field, describeJsonError(t, e), "write it as YAML in the stack file, or quote valid JSON");
    return undefined;
  }
}

/** A value quoted in a message: JSON where it has one (bigint and symbol have none, and JSON.stringify throws on bigint). */
export function quote(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${quote(value)}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known key a typo most likely meant, if any is close. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k);
    if (d <= 3 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

export function unknownKeyProblem(field: string, key: string, known: readonly string[], p: Problems): void {
  const near = nearestKey(key, known);
  p.add(field, "unknown key", near ? `did you mean '${near}'?` : `known keys: ${known.join(", ")}`);
}

/** An object with the `known` keys (others are reported), or a free-form map when `known` is undefined. */
export function readObject(
  value: unknown,
  field: string,
  p: Problems,
  known?: readonly string[],
): Record<string, unknown> | undefined {
  if (value === undefined) {
    p.add(field, "is missing", known ? `add it with the keys ${known.join(", ")}` : "add it");
    return undefined;
  }
  const v = decodeStructured(value, field, p);
  if (v === undefined) return undefined;
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    p.add(
      field,
      `must be an object, got ${describe(v)}`,
      known ? `give it the keys ${known.join(", ")}` : "write it as key: value pairs",
    );
    return undefined;
  }
  const obj = v as Record<string, unknown>;
  if (known)
    for (const key of Object.keys(obj)) if (!known.includes(key)) unknownKeyProblem(child(field, key), key, known, p);
  return obj;
}

export function readList(value: unknown, field: string, p: Problems): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  const v = decodeStructured(value, field, p);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    p.add(field, `must be a list, got ${describe(v)}`, "write it as a YAML list (- item) or a JSON array");
    return undefined;
  }
  return v;
}

export function readString(value: unknown, field: string, p: Problems, required?: { fix: string }): string | undefined {
  if (value === undefined || value === null || value === "") {
    if (required) p.add(field, "is required", required.fix);
    return undefined;
  }
  // YAML turns unquoted digits into numbers (org and folder ids); they are still ids.
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== "string") {
    p.add(field, `must be text, got ${describe(value)}`, "quote the value");
    return undefined;
  }
  if (value.trim() !== value) p.add(field, "has leading or trailing spaces", "remove the spaces");
  return value;
}

export function readStringList(value: unknown, field: string, p: Problems): string[] {
  const list = readList(value, field, p) ?? [];
  const out: string[] = [];
  list.forEach((v, i) => {
    const s = readString(v, item(field, i), p, { fix: "remove the empty entry" });
    if (s !== undefined) out.push(s);
  });
  return out;
}

export function readBoolean(value: unknown, field: string, p: Problems): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  p.add(field, `must be true or false, got ${describe(value)}`, "write true or false");
  return undefined;
}

export function readEnum<T extends string>(
  value: unknown,
  field: string,
  p: Problems,
  allowed: readonly T[],
): T | undefined {
  const s = readString(value, field, p);
  if (s === undefined) return undefined;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  const lower = s.toLowerCase();
  const hint = (allowed as readonly string[]).includes(lower)
    ? `write '${lower}' (lower case)`
    : `use one of: ${allowed.join(", ")}`;
  p.add(field, `'${s}' is not allowed`, hint);
  return undefined;
}

/** Report duplicates in a list (Google keeps one; a duplicate is usually a typo of another entry). */
export function reportDuplicates(
  values: readonly string[],
  field: string,
  p: Problems,
  normalize: (s: string) => string = (s) => s,
): void {
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    const k = normalize(v);
    const first = seen.get(k);
    if (first !== undefined) p.add(item(field, i), `duplicates ${item(field, first)} ('${v}')`, "remove one of them");
    else seen.set(k, i);
  });
}

export function readNumber(
  value: unknown,
  field: string,
  p: Problems,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < range.min || value > range.max) {
    p.add(field, `must be a number from ${range.min} to ${range.max}, got ${quote(value)}`);
    return undefined;
  }
  return value;
}

/** Throws what was found: the one InputError alone, several as InputErrors; nothing when there is nothing. */
export function throwProblems(p: Problems): void {
  if (p.errors.length === 1) throw p.errors[0];
  if (p.errors.length > 1) throw new InputErrors(p.errors);
}
