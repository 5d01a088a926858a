// The network between the app (or the kit) and Google (docs/networks.md): a proxy, a TLS-inspecting proxy's CA, DNS,
// refused, unreachable and timed-out connections, in the words of Node, Python, Java, Go, .NET and PHP. Nothing reached
// Google, so nothing about the OAuth setup can be concluded: these diagnoses stop a verdict rather than give one.
import type { NetworkFailure, Signals } from "../types";
import { says, saysAny, type Family, type Rule, type VocabularyEntry } from "../rule";

const NODE_ERRORS = "https://nodejs.org/api/errors.html#common-system-errors";

/**
 * The text came from a runtime that ships its own CA store, Node (its error codes, a JavaScript stack, node-fetch,
 * gaxios) or Java (cacerts: PKIX, javax.net.ssl): a failed verification there is not a missing system bundle.
 */
const fromOwnStore = (s: Signals) => {
  const line = s.evidence.find((e) => e.signal === "network")?.line ?? "";
  return (
    /PKIX path building failed|javax\.net\.ssl|sun\.security|FetchError|GaxiosError|reason: (?:self|unable)|^Error: (?:self|unable)/i.test(
      line,
    ) || says(s, /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/)
  );
};

/** Each runtime's words for a failure on the way, and which failure it is: the network signal (signals.ts). */
export const NETWORK_FAILURES: readonly (readonly [RegExp, NetworkFailure])[] = [
  [
    /self[- ]signed[\s│|]*certificate|unable to get local issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate verify failed|CERTIFICATE_VERIFY_FAILED|SELF_SIGNED_CERT|PKIX path building failed|unable to find valid certification path|x509: certificate signed by unknown authority|The remote certificate is invalid|SSL certificate problem|cURL error 60/i,
    "tls",
  ],
  [
    /tunneling socket could not be established|ProxyError|Tunnel connection failed|407 Proxy Authentication|Proxy Authentication Required|StatusCode = 407|Unable to connect to proxy|proxyconnect tcp|WRONG_VERSION_NUMBER|wrong version number/i,
    "proxy",
  ],
  [
    /ENOTFOUND|EAI_AGAIN|getaddrinfo (?:failed|ENOTFOUND)|Unable to find the server at|Name or service not known|nodename nor servname|Temporary failure in name resolution|UnknownHostException|no such host|No such host is known|Could not resolve host|cURL error 6\b|php_network_getaddresses|lookup \S+ on \S+:53|server misbehaving/i,
    "dns",
  ],
  [
    /ETIMEDOUT|ESOCKETTIMEDOUT|Connection timed out|timed out|TimeoutError|SocketTimeoutException|i\/o timeout|did not properly respond after a period of time|Operation timed out|cURL error 28|context deadline exceeded|Client\.Timeout exceeded/i,
    "timeout",
  ],
  [/ECONNRESET|socket hang up|Connection reset by peer/i, "reset"],
  [
    /ECONNREFUSED|Connection refused|actively refused|cURL error 7\b|unable to connect to [^\s]+:\d+ \(|Can't connect to [^\s]+,\d+/i,
    "refused",
  ],
  [
    /Network is unreachable|ENETUNREACH|EHOSTUNREACH|No route to host|NoRouteToHostException|Host is unreachable/i,
    "unreachable",
  ],
];

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: "Error: tunneling socket could not be established, statusCode=407",
    code: "proxy_auth_required",
    channel: "network",
    source: "https://github.com/request/tunnel-agent/blob/master/index.js",
  },
  {
    says: "Error: tunneling socket could not be established, cause=connect ECONNREFUSED 127.0.0.1:8888",
    code: "proxy_unreachable",
    channel: "network",
    source: "https://github.com/request/tunnel-agent/blob/master/index.js",
  },
  {
    says: "Error: self-signed certificate in certificate chain",
    code: "tls_interception",
    channel: "network",
    source: "https://nodejs.org/api/tls.html#x509-certificate-error-codes",
  },
  {
    says: "cURL error 60: SSL certificate problem: unable to get local issuer certificate (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)",
    code: "ca_bundle_missing",
    channel: "network",
    source: "https://curl.se/libcurl/c/libcurl-errors.html",
  },
  {
    says: "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)",
    code: "ca_bundle_missing",
    channel: "network",
    source: "https://docs.python.org/3/library/ssl.html#ssl.SSLCertVerificationError",
  },
  {
    says: "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
    code: "tls_interception",
    channel: "network",
    source: "https://docs.oracle.com/en/java/javase/17/security/java-secure-socket-extension-jsse-reference-guide.html",
  },
  {
    says: 'Post "https://oauth2.googleapis.com/token": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    code: "ca_bundle_missing",
    channel: "network",
    source: "https://pkg.go.dev/crypto/x509#UnknownAuthorityError",
  },
  {
    says: "Error: getaddrinfo ENOTFOUND oauth2.googleapis.com",
    code: "dns_failure",
    channel: "network",
    source: NODE_ERRORS,
  },
  {
    says: "java.net.UnknownHostException: oauth2.googleapis.com",
    code: "dns_failure",
    channel: "network",
    source: "https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/net/UnknownHostException.html",
  },
  {
    says: 'Post "https://oauth2.googleapis.com/token": dial tcp: lookup oauth2.googleapis.com: no such host',
    code: "dns_failure",
    channel: "network",
    source: "https://pkg.go.dev/net#DNSError",
  },
  {
    says: "cURL error 6: Could not resolve host: oauth2.googleapis.com",
    code: "dns_failure",
    channel: "network",
    source: "https://curl.se/libcurl/c/libcurl-errors.html",
  },
  {
    says: "Error: connect ECONNRESET 142.250.74.42:443",
    code: "google_unavailable",
    channel: "network",
    source: NODE_ERRORS,
  },
];

const rules: readonly Rule[] = [
  {
    id: "proxy-auth",
    precedence: 810,
    code: "proxy_auth_required",
    holds: (s) =>
      saysAny(s, [
        /statusCode\s*=\s*407\b/i,
        /\b407 Proxy Authentication Required\b/i,
        /Proxy Authentication Required/i,
      ]),
  },
  {
    id: "proxy-unreachable",
    precedence: 815,
    code: "proxy_unreachable",
    holds: (s) =>
      s.network === "proxy" ||
      saysAny(s, [
        /tunneling socket could not be established, cause=connect/i,
        /Proxy connection ended before receiving CONNECT/i,
      ]),
  },
  {
    id: "tls-interception",
    precedence: 820,
    code: "tls_interception",
    // Node and Java ship their own CA stores, so their failing to verify Google means something re-signed the traffic; a
    // self-signed certificate in the chain says the same in any runtime.
    holds: (s) =>
      saysAny(s, [/self[- ]signed certificate in certificate chain/i, /\bSELF_SIGNED_CERT_IN_CHAIN\b/]) ||
      (s.network === "tls" && fromOwnStore(s)),
    alternatives: [
      { code: "ca_bundle_missing", when: "if this machine has no CA bundle at all (a minimal image, an old OS)" },
    ],
  },
  {
    id: "ca-bundle",
    precedence: 821,
    code: "ca_bundle_missing",
    // Python, PHP, Go, Java and .NET verify against the system's store (or the one PHP is told of): failing to
    // verify Google's genuine certificate there is most often a missing or empty bundle.
    holds: (s) => s.network === "tls",
    inferred: true,
    alternatives: [
      { code: "tls_interception", when: "if a corporate proxy, VPN or antivirus inspects TLS on this network" },
    ],
  },
  {
    id: "dns",
    precedence: 825,
    code: "dns_failure",
    holds: (s) =>
      s.network === "dns" ||
      saysAny(s, [
        /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) [\w.-]*(?:google\.com|googleapis\.com)\b/i,
        /Unable to find the server at [\w.-]*(?:google\.com|googleapis\.com)\b/i,
      ]),
  },
  {
    id: "network",
    precedence: 830,
    code: "google_unavailable",
    holds: (s) => s.network !== undefined,
    alternatives: [
      { code: "proxy_unreachable", when: "if a proxy is configured (HTTPS_PROXY): the address it names may be wrong" },
      {
        code: "dns_failure",
        when: "if the host name did not resolve on this machine (getent hosts oauth2.googleapis.com)",
      },
    ],
  },
];

export const NETWORK: Family = {
  id: "network",
  title: "The network between the app and Google",
  vocabulary,
  rules,
};
