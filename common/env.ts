// The environment variables the kit reads. The names are public: shells, CI jobs, cron entries and fleet files use them.
export const ENV = {
  /** The client secret, with --client-id (or beside a client file without one). */
  clientSecret: "GMAIL_OAUTH_CLIENT_SECRET",
  /** check-token's stored refresh token, without --refresh-token-file. */
  refreshToken: "GMAIL_OAUTH_REFRESH_TOKEN",
  /** The operator's Cloud access token, for the Cloud-side checks. */
  cloudAccessToken: "GOOGLE_OAUTH_ACCESS_TOKEN",
  /** The --google-origin override (the emulator). */
  googleOrigin: "GMAIL_OAUTH_GOOGLE_ORIGIN",
  /** "1": loopback requests go through HTTPS_PROXY / HTTP_PROXY too (by default loopback never does). */
  proxyLoopback: "GMAIL_OAUTH_PROXY_LOOPBACK",
} as const;
