// Markdown written by the kit (docs/troubleshooting.md, the explain page's "copy as Markdown"). No Node module here:
// the browser page bundles it.

/** A code fence longer than any backtick run in the text (at least three), so the text cannot close it early. */
export function codeFence(text: string): string {
  return "`".repeat(Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length)) + 1);
}
