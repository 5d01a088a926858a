// Escaping for text placed in HTML (element content and quoted attribute values): the emulator's pages and the
// validator's result page both show values that came from a URL.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
