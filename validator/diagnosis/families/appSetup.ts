// The app's own setup, read from messages of the console and the client libraries: a client file that is not a usable
// OAuth client JSON, a Desktop client where a Web one is needed, a redirect URI the console refuses to register.
import { says, type Family, type Rule, type VocabularyEntry } from "../rule";

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: "ValueError: Client secrets must be for a web or installed app.",
    code: "client_file_invalid",
    channel: "local",
    source:
      "https://github.com/googleapis/google-auth-library-python-oauthlib/blob/main/google_auth_oauthlib/helpers.py",
  },
  {
    says: '{"installed":{"client_id":"123-abc.apps.googleusercontent.com","project_id":"p","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","redirect_uris":["http://localhost"]}}',
    code: "client_file_desktop_type",
    channel: "local",
    source: "https://developers.google.com/identity/protocols/oauth2/native-app",
  },
  {
    says: "Invalid redirect: must end with a public top-level domain (such as .com or .org).",
    code: "redirect_uri_invalid",
    channel: "local",
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#uri-validation",
  },
  {
    says: "Invalid redirect: Hosts cannot be raw IP addresses.",
    code: "redirect_uri_invalid",
    channel: "local",
    source: "https://developers.google.com/identity/protocols/oauth2/web-server#uri-validation",
  },
];

const rules: readonly Rule[] = [
  {
    id: "client-file",
    precedence: 610,
    code: "client_file_invalid",
    holds: (s) =>
      says(
        s,
        /Client secrets must be for a web or installed app|At least one client secrets \(Installed or Web\)|Missing property "\w+" in a client type|InvalidClientSecretsError|Expected top level property 'installed' or 'web' to be present/i,
      ),
  },
  {
    id: "desktop-client-file",
    precedence: 615,
    code: "client_file_desktop_type",
    holds: (s) => says(s, /"installed"\s*:\s*\{/i),
  },
  {
    id: "redirect-invalid",
    precedence: 625,
    code: "redirect_uri_invalid",
    holds: (s) =>
      says(
        s,
        /Invalid redirect: |must end (?:in|with) a (?:top-level )?public (?:top-level )?domain|Hosts cannot be raw IP addresses|device_id and device_name are required for private IP/i,
      ),
  },
];

export const APP_SETUP: Family = {
  id: "app-setup",
  title: "The app's own client file and registration",
  vocabulary,
  rules,
};
