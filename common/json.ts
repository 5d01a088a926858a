// Parsing user files that may hold secrets (client files, token files, stack outputs, scenarios). Node's own
// JSON.parse message quotes a slice of the input ('Unexpected token … "zzTopSecre"…'), which may be the secret itself,
// before anything could register it for masking; so errors here say where, never what.

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/** A position-only account of why `text` is not JSON. */
export function describeJsonError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of JSON input/i.test(message) || text.trim() === "")
    return "is not valid JSON (it ends too early: truncated?)";
  const at = /at position (\d+)/.exec(message);
  if (at) {
    const pos = Number(at[1]);
    if (pos >= text.trimEnd().length) return "is not valid JSON (it ends too early: truncated?)";
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    const column = pos - before.lastIndexOf("\n");
    return `is not valid JSON (syntax error at line ${line}, column ${column})`;
  }
  return "is not valid JSON (an unexpected character: check the quotes and commas)";
}

/** JSON.parse whose error names the line and column but never quotes the text. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonSyntaxError(describeJsonError(text, e));
  }
}

/** A JSON object (not null, not an array): what a reader checks before it looks at keys. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
