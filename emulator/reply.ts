// What every handler returns: the server writes it, and faults can rewrite it before it goes out.

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = "application/json; charset=utf-8";
/** Google's token endpoint answers with these; clients must not cache tokens. */
const NO_STORE = { "cache-control": "no-cache, no-store, max-age=0, must-revalidate", pragma: "no-cache" };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function noStoreJson(status: number, body: unknown): Reply {
  return json(status, body, NO_STORE);
}

export function html(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8", ...headers }, body };
}

export function redirect(location: string, headers: Record<string, string> = {}): Reply {
  return { status: 302, headers: { location, ...headers }, body: "" };
}

/** The OAuth token/revoke/tokeninfo error shape (facts §2.3, §4). */
export function oauthError(status: number, error: string, description: string): Reply {
  return noStoreJson(status, { error, error_description: description });
}

export function notFound(): Reply {
  return html(404, "<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL was not found on this server. <ins>That’s all we know.</ins></html>");
}
