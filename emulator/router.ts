// Every path the emulator answers, with its methods, in one table (fake-gcs-server's router): method + path →
// handler, the fault route that applies to it, and what a wrong method gets, the way Google answers it.
import type { FaultRoute } from "./faults";
import { adminBodyTooLarge, adminMethodNotAllowed, adminRequest, ADMIN_PREFIX } from "./routes/admin";
import { AuthorizationPages } from "./routes/authorization";
import { GoogleApis, gmailMethodNotAllowed, methodNotFound } from "./routes/googleApis";
import { notFound, type Handler, type Reply } from "./routes/handler";
import { IamCredentials } from "./routes/iamCredentials";
import { mailDiscovery } from "./routes/mail";
import { MAIL_DISCOVERY_PATH } from "../google/mail";
import { TokenEndpoints } from "./routes/tokenEndpoint";
import type { EmulatorStore } from "./store";

type Method = "GET" | "POST";

export interface Route {
  /** An exact path, or a pattern whose groups reach the handler as ctx.path. */
  readonly path: string | RegExp;
  readonly methods: Partial<Record<Method, Handler>>;
  /** The fault route that applies; none for the admin API, which faults never touch. */
  readonly fault?: FaultRoute;
  /** The answer to any other method. Default: Google's HTML 404. */
  readonly wrongMethod?: () => Reply;
  /** The answer to a body over the server's limit; default Google's JSON 413. */
  readonly tooLarge?: () => Reply;
}

/** A route and the path's captured groups. */
export interface Match {
  readonly route: Route;
  readonly path: readonly string[];
}

export function routeTable(store: EmulatorStore): Route[] {
  const pages = new AuthorizationPages(store);
  const tokens = new TokenEndpoints(store);
  const apis = new GoogleApis(store);
  const iam = new IamCredentials(store);
  const authorize: Handler = (c) => pages.authorize(c);
  const token: Handler = (c) => tokens.token(c);
  const tokeninfo: Handler = (c) => tokens.tokeninfo(c);
  const revoke: Handler = (c) => tokens.revoke(c);
  const discovery: Handler = (c) => tokens.discovery(c);
  const certs: Handler = () => tokens.jwks();
  const errorPage: Handler = (c) => pages.errorPage(c);
  return [
    { path: "/o/oauth2/v2/auth", fault: "authorize", methods: { GET: authorize, POST: authorize } },
    { path: "/o/oauth2/auth", fault: "authorize", methods: { GET: authorize, POST: authorize } },
    {
      path: "/v3/signin/identifier",
      fault: "signin",
      methods: { GET: (c) => pages.signinPage(c), POST: (c) => pages.signinSubmit(c) },
    },
    {
      path: "/signin/oauth/warning",
      fault: "signin",
      methods: { GET: (c) => pages.warningPage(c), POST: (c) => pages.warningSubmit(c) },
    },
    {
      path: "/signin/oauth/consent",
      fault: "signin",
      methods: { GET: (c) => pages.consentPage(c), POST: (c) => pages.consentSubmit(c) },
    },
    { path: "/signin/oauth/error", fault: "signin", methods: { GET: errorPage, POST: errorPage } },
    // GET /token and GET /revoke answer 404 (google-behaviour.md §4.2; for /token inferred). The token URI older client_secret.json
    // files carry (google-behaviour.md §8.3) answers too.
    { path: "/token", fault: "token", methods: { POST: token } },
    { path: "/o/oauth2/token", fault: "token", methods: { POST: token } },
    { path: "/tokeninfo", fault: "tokeninfo", methods: { GET: tokeninfo, POST: tokeninfo } },
    { path: "/oauth2/v3/tokeninfo", fault: "tokeninfo", methods: { GET: tokeninfo, POST: tokeninfo } },
    { path: "/revoke", fault: "revoke", methods: { POST: revoke } },
    { path: "/o/oauth2/revoke", fault: "revoke", methods: { POST: revoke } },
    { path: "/.well-known/openid-configuration", fault: "openid", methods: { GET: discovery, POST: discovery } },
    { path: "/oauth2/v3/certs", fault: "openid", methods: { GET: certs, POST: certs } },
    { path: MAIL_DISCOVERY_PATH, methods: { GET: () => mailDiscovery(store) } },
    {
      path: /^\/gmail\/v1\/users\/([^/]+)\/profile$/,
      fault: "gmail.profile",
      methods: { GET: (c) => apis.getProfile(c) },
      wrongMethod: gmailMethodNotAllowed,
    },
    {
      path: /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/,
      fault: "gmail.send",
      methods: { POST: (c) => apis.send(c) },
      wrongMethod: gmailMethodNotAllowed,
    },
    {
      path: /^\/v1\/projects\/([^/]+)\/services\/([^/:]+)$/,
      fault: "serviceusage",
      methods: { GET: (c) => apis.serviceUsage(c) },
      wrongMethod: methodNotFound,
    },
    {
      path: /^\/v1\/projects\/([^/]+)\/services\/([^/:]+):(enable|disable)$/,
      fault: "serviceusage",
      methods: { POST: (c) => apis.serviceUsage(c) },
      wrongMethod: methodNotFound,
    },
    {
      path: /^\/v3\/projects\/([^/]+)$/,
      fault: "resourcemanager",
      methods: { GET: (c) => apis.resourceManager(c) },
      wrongMethod: methodNotFound,
    },
    {
      path: /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):signJwt$/,
      fault: "iamcredentials",
      methods: { POST: (c) => iam.signJwt(c) },
      wrongMethod: methodNotFound,
    },
    {
      path: /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+)$/,
      fault: "iam",
      methods: { GET: (c) => iam.getServiceAccount(c) },
      wrongMethod: methodNotFound,
    },
    {
      path: new RegExp(`^${ADMIN_PREFIX}(.*)$`),
      methods: { GET: (c) => adminRequest(store, c), POST: (c) => adminRequest(store, c) },
      wrongMethod: adminMethodNotAllowed,
      tooLarge: adminBodyTooLarge,
    },
  ];
}

/** Finds the route of a path: exact paths by lookup, patterns in table order. */
export class Router {
  private readonly exact = new Map<string, Route>();
  private readonly patterns: (Route & { path: RegExp })[] = [];

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      if (typeof r.path === "string") this.exact.set(r.path, r);
      else this.patterns.push(r as Route & { path: RegExp });
    }
  }

  match(path: string): Match | undefined {
    const exact = this.exact.get(path);
    if (exact) return { route: exact, path: [] };
    for (const route of this.patterns) {
      const m = route.path.exec(path);
      if (m) return { route, path: m.slice(1) };
    }
    return undefined;
  }

  /** The handler for the method, or the route's wrong-method answer. */
  static handler(route: Route, method: string): Handler {
    const wrong = route.wrongMethod ?? notFound;
    return route.methods[method as Method] ?? (() => wrong());
  }
}
