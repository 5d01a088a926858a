// Which loopback redirect URI the consent flow listens on (issue 5 §1). Pure: no sockets here.
// The app's own redirect URI is never used, even when it is a loopback one: the app would consume the code.
import { isLoopbackHost, type ClientKind } from "../../google/redirectUris";

/** The URI we ask the person to register on a Web client that has no loopback redirect. */
export const SUGGESTED_LOOPBACK_URI = "http://127.0.0.1:8085/";

export interface LoopbackPlan {
  /** The address the server binds: always a loopback address, never 0.0.0.0. */
  readonly bindHost: "127.0.0.1" | "::1";
  /** The host as the redirect URI spells it (`127.0.0.1`, `localhost`, `[::1]`), for the Host header check too. */
  readonly uriHost: string;
  /** 0 means any free port (Desktop clients, google-behaviour.md §8.2). */
  readonly port: number;
  readonly path: string;
  /** The registered URI this plan reproduces exactly (Web clients compare byte for byte, google-behaviour.md §8.1). */
  readonly registered?: string;
}

export type RedirectChoice =
  | { readonly kind: "ok"; readonly plan: LoopbackPlan; readonly note: string }
  | { readonly kind: "missing"; readonly detail: string };

interface ChoiceInput {
  readonly clientType?: ClientKind;
  readonly registeredRedirectUris?: readonly string[];
  /** The app's redirect URIs: never borrowed. */
  readonly redirectUris: readonly string[];
}

function parseLoopback(
  uri: string,
): { host: string; port: number | undefined; path: string; search: string } | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:" || !isLoopbackHost(u.hostname) || u.hash || u.username || u.password) return undefined;
  return {
    host: u.hostname.toLowerCase(),
    port: u.port === "" ? undefined : Number(u.port),
    path: u.pathname,
    search: u.search,
  };
}

function bindHostFor(uriHost: string): "127.0.0.1" | "::1" {
  // `localhost` resolves to either family in browsers; Chromium falls back to 127.0.0.1 when ::1 refuses.
  return uriHost === "[::1]" || uriHost === "::1" ? "::1" : "127.0.0.1";
}

export function chooseLoopbackRedirect(input: ChoiceInput): RedirectChoice {
  const kind: ClientKind = input.clientType ?? "web";
  const registered = input.registeredRedirectUris ?? [];
  const appUris = new Set(input.redirectUris);
  const loopbacks = registered.filter((u) => parseLoopback(u) !== undefined);
  const usable = loopbacks.filter((u) => !appUris.has(u));

  if (kind === "desktop") {
    // Any loopback port and path is accepted for Desktop clients; keep the registered host spelling when there is one.
    const first = usable[0] ?? loopbacks[0];
    const host = first ? parseLoopback(first)!.host : "127.0.0.1";
    return {
      kind: "ok",
      plan: { bindHost: bindHostFor(host), uriHost: host, port: 0, path: "/" },
      note: "Desktop client: any free loopback port",
    };
  }

  const chosen = usable.find((u) => parseLoopback(u)!.search === "");
  if (!chosen) {
    const why =
      loopbacks.length > 0
        ? `its only loopback redirect URI${loopbacks.length > 1 ? "s are" : " is"} the app's own (${loopbacks.join(", ")}), and the app would consume the code`
        : input.registeredRedirectUris === undefined
          ? "no client file lists the client's redirect URIs"
          : "none of its redirect URIs is a loopback one (http://127.0.0.1:PORT/ or http://localhost:PORT/)";
    return {
      kind: "missing",
      detail: `The Web client cannot be used for the consent flow: ${why}. Add ${SUGGESTED_LOOPBACK_URI} to the client's Authorized redirect URIs (any free port works; the validator listens on exactly the port you register), download the client JSON again, and rerun. Google only sends the code to a registered URI, and the validator must receive it itself.`,
    };
  }
  const p = parseLoopback(chosen)!;
  return {
    kind: "ok",
    plan: { bindHost: bindHostFor(p.host), uriHost: p.host, port: p.port ?? 80, path: p.path, registered: chosen },
    note: `registered loopback redirect URI ${chosen}`,
  };
}

/** The exact redirect_uri to send: the registered string verbatim when there is one, so the match is exact. */
export function redirectUriFor(plan: LoopbackPlan, boundPort: number): string {
  if (plan.registered) return plan.registered;
  return `http://${plan.uriHost}:${boundPort}${plan.path}`;
}
