// The handler contract (fake-gcs-server's shape): a handler gets a RequestContext and returns a Reply; the server
// writes the reply, and faults can rewrite it before it goes out. Handlers never touch sockets.

/** What a handler sees of a request. `params` merges the query and a form or JSON body. */
export interface RequestContext {
  readonly method: string;
  readonly url: URL;
  readonly params: URLSearchParams;
  /** The raw body (POST only); the admin API reads its JSON. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly origin: string;
  /** The route pattern's captured groups (e.g. the Gmail user id), as they appear in the path. */
  readonly path: readonly string[];
}

export type Handler = (ctx: RequestContext) => Reply;

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

/** The OAuth token/revoke/tokeninfo error shape (google-behaviour.md §2.3, §4). */
export function oauthError(status: number, error: string, description: string): Reply {
  return noStoreJson(status, { error, error_description: description });
}

export function notFound(): Reply {
  return html(
    404,
    "<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL was not found on this server. <ins>That’s all we know.</ins></html>",
  );
}
