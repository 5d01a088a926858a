// The Workspace admin console's Manage Domain Wide Delegation page and its prefilled "Add a new client ID" link
// (docs/google-behaviour.md §10): pure text, so the diagnosis catalogue and the browser page can name it.

/** Manage Domain Wide Delegation in the Workspace admin console (google-behaviour.md §10). */
export const DWD_CONSOLE_URL = "https://admin.google.com/ac/owl/domainwidedelegation";
/** The scope list exactly as the admin console's "OAuth scopes" field takes it: comma-separated, no spaces. */
export function dwdScopeField(scopes: readonly string[]): string {
  return scopes.join(",");
}

/**
 * The link that opens "Add a new client ID" with the client ID and scopes filled in (GAM prints it, google-behaviour.md §10).
 * Commas stay literal, as GAM prints them; the scope URLs are otherwise encoded.
 */
export function dwdPrefilledLink(clientId: string, scopes: readonly string[]): string {
  const list = scopes.map((s) => encodeURIComponent(s)).join(",");
  return `${DWD_CONSOLE_URL}?clientIdToAdd=${encodeURIComponent(clientId)}&clientScopeToAdd=${list}&overwriteClientId=true`;
}
