// App presets: the one table of what each supported app needs from Google, so a stack says `preset: flectra` and
// `instanceUrl: https://mydb.flectra.com` instead of spelling out the redirect URI, scope and client type.
import { DEFAULT_SCOPE, GOOGLE_SCOPE_PREFIX } from "../google/scopes";
import type { MailTransport } from "../google/mail";
import type { ClientType } from "../google/oauthApp";

export type PresetName = "flectra" | "odoo" | "hero_flow" | "n8n" | "generic";

export interface AppPreset {
  readonly name: PresetName;
  readonly label: string;
  readonly clientType: ClientType;
  /** Appended to the instance URL to form the redirect URI; undefined: the team lists redirectUris itself. */
  readonly callbackPath?: string;
  /** The app lets its admin change the callback path, so `callbackPath` may override ours. */
  readonly callbackPathConfigurable: boolean;
  readonly scopes: readonly string[];
  /** How the app reaches Gmail; undefined: the stack declares it (generic). */
  readonly transports?: readonly MailTransport[];
  readonly notes: string;
  /**
   * Where in the app the client ID and secret are entered, then how the mailbox is connected, one step a line
   * (`gmail-oauth setup` prints them at the end). Absent where the app's screens are not documented publicly.
   */
  readonly enterCredentials?: readonly string[];
}

// Odoo's google_gmail module (Flectra carries the same module, inferred from its Odoo lineage):
// https://www.odoo.com/documentation/17.0/applications/general/email_communication/google_oauth.html
const ODOO_GMAIL_STEPS: readonly string[] = [
  "Settings > General Settings > Discuss: tick 'Custom Email Servers' (or 'Use a Gmail Server'), then under 'Gmail Credentials' paste the Client ID and the Client Secret, and Save.",
  "Settings > Technical > Email > Outgoing Mail Servers (and Incoming Mail Servers to read mail): create or open the Gmail server, set 'Authenticate with' to 'Gmail OAuth Authentication', the username to the mailbox, then click 'Connect your Gmail account' and sign in as the mailbox.",
];

const G = GOOGLE_SCOPE_PREFIX;

export const PRESETS: Readonly<Record<PresetName, AppPreset>> = {
  flectra: {
    name: "flectra",
    label: "Flectra",
    clientType: "web",
    callbackPath: "/google_gmail/confirm",
    callbackPathConfigurable: false,
    // Flectra sends and fetches over SMTP/IMAP with XOAUTH2, which only https://mail.google.com/ allows.
    scopes: [DEFAULT_SCOPE],
    transports: ["smtp", "imap"],
    notes:
      "Outgoing/incoming mail servers with 'Gmail OAuth Authentication'; the app builds the redirect from web.base.url, so instanceUrl must be that exact URL.",
    enterCredentials: ODOO_GMAIL_STEPS,
  },
  odoo: {
    name: "odoo",
    label: "Odoo",
    clientType: "web",
    callbackPath: "/google_gmail/confirm",
    callbackPathConfigurable: false,
    scopes: [DEFAULT_SCOPE],
    transports: ["smtp", "imap"],
    notes:
      "Settings > General Settings > Gmail credentials; SMTP/IMAP with XOAUTH2. instanceUrl must equal the database's web.base.url.",
    enterCredentials: ODOO_GMAIL_STEPS,
  },
  hero_flow: {
    name: "hero_flow",
    label: "Hero_Flow",
    clientType: "web",
    // Our default; Hero_Flow lets its admin change it, so a stack can set callbackPath to what its admin page shows.
    callbackPath: "/oauth2/callback",
    callbackPathConfigurable: true,
    scopes: [DEFAULT_SCOPE],
    transports: ["gmail-api"],
    notes:
      "The callback path is configurable in Hero_Flow; copy it from the instance's Gmail connection page into callbackPath if it differs from the default.",
  },
  n8n: {
    name: "n8n",
    label: "n8n",
    clientType: "web",
    callbackPath: "/rest/oauth2-credential/callback",
    callbackPathConfigurable: false,
    // The scopes n8n's "Gmail OAuth2 API" credential requests; the consent screen must list all of them.
    scopes: [
      `${G}gmail.labels`,
      `${G}gmail.addons.current.action.compose`,
      `${G}gmail.addons.current.message.action`,
      DEFAULT_SCOPE,
      `${G}gmail.modify`,
      `${G}gmail.compose`,
    ],
    transports: ["gmail-api"],
    notes:
      "Credential type 'Gmail OAuth2 API'; n8n shows the same 'OAuth Redirect URL' in the credential dialog. instanceUrl is n8n's public URL (WEBHOOK_URL / N8N_EDITOR_BASE_URL).",
    // https://docs.n8n.io/integrations/builtin/credentials/google/oauth-single-service/
    enterCredentials: [
      "Credentials > Add credential > 'Gmail OAuth2 API': paste the Client ID and the Client Secret (check that the 'OAuth Redirect URL' shown is the redirect URI above).",
      "Click 'Sign in with Google' and sign in as the mailbox.",
    ],
  },
  generic: {
    name: "generic",
    label: "Generic web app",
    clientType: "web",
    callbackPathConfigurable: true,
    scopes: [DEFAULT_SCOPE],
    notes:
      "List the app's redirect URIs in redirectUris (or set instanceUrl and callbackPath), and the scopes it requests in scopes.",
  },
};

export const PRESET_NAMES: readonly PresetName[] = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  // The policy pack loads this file through Pulumi's ts-node, whose default lib predates Object.hasOwn.
  // biome-ignore lint/suspicious/noPrototypeBuiltins: see above
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

export interface PresetClient {
  readonly type: ClientType;
  /** The preset's redirect URI (instance URL + callback path), when both are known. */
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly transports?: readonly MailTransport[];
}

/** The instance URL without trailing slashes, so `https://x/` and `https://x` give the same redirect URI. */
export function normalizeInstanceUrl(instanceUrl: string): string {
  return instanceUrl.replace(/\/+$/, "");
}

/**
 * What a preset contributes to one client. `callbackPath` overrides the preset's path (only meaningful where the
 * app lets its admin change it; the parser rejects it elsewhere).
 */
export function applyPreset(
  name: PresetName,
  options: { instanceUrl?: string; callbackPath?: string } = {},
): PresetClient {
  const preset = PRESETS[name];
  const path = options.callbackPath ?? preset.callbackPath;
  const redirectUris =
    options.instanceUrl && path
      ? [`${normalizeInstanceUrl(options.instanceUrl)}${path.startsWith("/") ? path : `/${path}`}`]
      : [];
  return {
    type: preset.clientType,
    redirectUris,
    scopes: preset.scopes,
    ...(preset.transports && { transports: preset.transports }),
  };
}
