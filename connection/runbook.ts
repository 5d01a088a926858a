// The console runbook: what no public Google API is known to configure (google-behaviour.md §9; an absolute that is widely
// reported but unconfirmed), as numbered steps in the order the
// Google Auth Platform console needs them, each with its deep link and the exact values to type.
// Pure Markdown rendering from the spec; no secret ever reaches it (the spec holds none).
import { clientLink, consoleLink } from "../google/consoleLinks";
import { DWD_CONSOLE_URL, dwdPrefilledLink, dwdScopeField } from "../google/domainWideDelegation";
import { serviceAccountEmail } from "../google/identifiers";
import { needsVerification, scopeInfo, strictestClass } from "../google/scopes";
import { CONFIG_NAMESPACE } from "./parse";
import { clientSecretId } from "./clientSecretFile";
import { PRESETS, isPresetName } from "./presets";
import type { ConnectionSpec, OAuthClientSpec } from "./types";

/** What `pulumi up` already did, so the runbook does not ask for it again. */
export interface AutomatedSteps {
  readonly project?: "created" | "adopted";
  readonly gmailApiEnabled?: boolean;
  /** Principals the program granted roles/oauthconfig.editor. */
  readonly oauthAdminsGranted?: readonly string[];
  /** Client name → Secret Manager secret id, for clients whose ID and secret the program stored. */
  readonly storedSecrets?: Readonly<Record<string, string>>;
}

export interface RunbookOptions {
  readonly automated?: AutomatedSteps;
  /** Config namespace for the `pulumi config set` commands (the Pulumi project name). */
  readonly namespace?: string;
  /** The stack uses the single-client shorthand (`gmail-oauth:clientId`), not `gmail-oauth:clients[0].clientId`. */
  readonly singleClientShorthand?: boolean;
  /** Where the validate step writes the stack outputs. */
  readonly specFile?: string;
}

export const DEFAULT_SPEC_FILE = "gmail-connection.json";

/** One console step: its body lines are Markdown, and `{key}` in them names another step by key. */
export interface RunbookStep {
  readonly key: string;
  readonly title: string;
  readonly link?: string;
  readonly needs: readonly string[];
  readonly body: readonly string[];
}

const code = (value: string): string => `\`${value.replace(/`/g, "'")}\``;
const list = (values: readonly string[]): string[] => values.map((v) => `  - ${code(v)}`);

export function renderConsoleRunbook(spec: ConnectionSpec, opts: RunbookOptions = {}): string {
  return `${[...header(spec, opts.automated ?? {}), ...renderSteps(consoleRunbookSteps(spec, opts))].join("\n")}\n`;
}

/** The runbook's steps in order, as data: `gmail-oauth setup` walks them one at a time. */
export function consoleRunbookSteps(spec: ConnectionSpec, opts: RunbookOptions = {}): RunbookStep[] {
  const automated = opts.automated ?? {};
  const ns = opts.namespace ?? CONFIG_NAMESPACE;
  const project = spec.project.id;
  const link = (page: Parameters<typeof consoleLink>[0]) => consoleLink(page, project);
  const steps: RunbookStep[] = [];
  const { branding, audience } = spec;
  const external = audience.userType === "external";

  if (!automated.gmailApiEnabled) {
    steps.push({
      key: "gmail",
      title: "Enable the Gmail API",
      link: link("gmailApiLibrary"),
      needs: [],
      body: ["Click **Enable**. Google may take a few minutes to propagate it."],
    });
  }

  steps.push({
    key: "start",
    title: "Start the Google Auth Platform setup",
    link: link("overview"),
    needs: [],
    body: [
      "If the page shows **Get started**, click it and enter:",
      `- App name: ${code(branding.appName)}`,
      `- User support email: ${code(branding.supportEmail)}`,
      `- Audience: **${external ? "External" : "Internal"}**`,
      `- Contact information (email addresses): ${branding.developerContacts.map(code).join(", ")}`,
      "- Agree to the Google API Services: User Data Policy, then **Create**.",
      "If the overview already shows the app, this step is done; check the values in the next steps.",
    ],
  });

  const urlLines = [
    branding.homepageUrl && `- App home page: ${code(branding.homepageUrl)}`,
    branding.privacyPolicyUrl && `- Application privacy policy link: ${code(branding.privacyPolicyUrl)}`,
    branding.termsOfServiceUrl && `- Application terms of service link: ${code(branding.termsOfServiceUrl)}`,
  ].filter((l): l is string => Boolean(l));
  steps.push({
    key: "branding",
    title: "Branding",
    link: link("branding"),
    needs: ["start"],
    body: [
      `- App name: ${code(branding.appName)}`,
      `- User support email: ${code(branding.supportEmail)}`,
      // A community report says the console refuses links on domains not yet authorized (google-behaviour.md §9, inferred).
      ...(branding.authorizedDomains.length > 0
        ? [
            "- Authorized domains: **Add domain** for each, before the links below (the console refuses links on unlisted domains; inferred):",
            ...list(branding.authorizedDomains),
          ]
        : []),
      ...urlLines,
      `- Developer contact information: ${branding.developerContacts.map(code).join(", ")}`,
      "Click **Save**.",
    ],
  });

  const audienceBody: string[] = [
    `- User type: **${external ? "External" : "Internal"}** (switch with **Make ${external ? "external" : "internal"}** if it shows the other one).`,
  ];
  if (external && audience.publishingStatus === "testing") {
    audienceBody.push("- Publishing status: **Testing**. Leave it; do not click **Publish app**.");
    audienceBody.push(
      `- Test users: **Add users** and enter each address (individual Google Accounts; Google does not expand groups; at most 100, and the quota is used once an address is added):`,
      ...list(audience.testUsers),
    );
    audienceBody.push(
      "- Note: in Testing, authorizations that include Gmail scopes expire after 7 days; each test user must reconnect weekly.",
    );
  } else if (external) {
    audienceBody.push(
      `- Publishing status: click **Publish app** and confirm (a community report, not Google, says it needs the home page and privacy policy links from step {branding}: inferred).`,
    );
    if (spec.dataAccess.scopes.some(needsVerification) && audience.verification !== "verified") {
      audienceBody.push(
        `- Until Google verifies the app, users see the unverified-app screen and at most 100 users in total can grant these scopes. Submit the app at ${link("verification")}.`,
      );
    }
  } else {
    audienceBody.push("- Internal apps have no test users: every account of the organization can authorize.");
    if (strictestClass(spec.dataAccess.scopes) === "restricted") {
      audienceBody.push(
        "- The Workspace admin may need to allow the app: Admin console > Security > API controls > 'Let Internal apps access restricted Google Workspace APIs'.",
      );
    }
  }
  steps.push({ key: "audience", title: "Audience", link: link("audience"), needs: ["start"], body: audienceBody });

  const restricted = spec.dataAccess.scopes.filter((s) => scopeInfo(s)?.class === "restricted");
  steps.push({
    key: "scopes",
    title: "Data access (scopes)",
    link: link("dataAccess"),
    needs: ["start"],
    body: [
      "Click **Add or remove scopes**; under **Manually add scopes** paste these, one per line, then **Add to table**, **Update** and **Save**:",
      ...list(spec.dataAccess.scopes),
      ...(restricted.length > 0 && external && audience.publishingStatus === "production"
        ? [
            `- ${restricted.map(code).join(", ")} ${restricted.length > 1 ? "are" : "is"} restricted: serving external users in production needs restricted-scope verification, and an app that reaches restricted data from or through a third-party server also needs a yearly security assessment (personal use under 100 users is exempt).`,
          ]
        : []),
    ],
  });

  spec.clients.forEach((client, i) => {
    steps.push(clientStep(client, i, link("createClient"), project));
  });

  const pending = spec.clients.map((c, i) => ({ c, i })).filter(({ c }) => !automated.storedSecrets?.[c.name]);
  if (pending.length > 0) {
    const idKey = (i: number) => (opts.singleClientShorthand ? `${ns}:clientId` : `'${ns}:clients[${i}].clientId'`);
    const secretKey = (name: string) =>
      opts.singleClientShorthand ? `${ns}:clientSecret` : `'${ns}:clientSecrets.${name}'`;
    const path = opts.singleClientShorthand ? "" : " --path";
    steps.push({
      key: "credentials",
      title: "Put the client credentials in the stack",
      needs: pending.map(({ i }) => `client${i}`),
      body: [
        `Run in the stack's directory; \`pulumi config set\` prompts for each value, so the secret stays out of your shell history. \`pulumi up\` then stores ID and secret in Secret Manager${spec.appServiceAccount ? ` and lets ${code(spec.appServiceAccount)} read them` : ""}.`,
        "```sh",
        ...pending.flatMap(({ c, i }) => [
          ...(c.clientId ? [] : [`pulumi config set${path} ${idKey(i)}`]),
          `pulumi config set --secret${path} ${secretKey(c.name)}`,
        ]),
        "pulumi up",
        "```",
        ...pending
          .filter(({ c }) => c.preset && isPresetName(c.preset))
          .map(
            ({ c }) =>
              `- ${PRESETS[c.preset as keyof typeof PRESETS].label} (${code(c.name)}): enter the same client ID and secret in the app. ${PRESETS[c.preset as keyof typeof PRESETS].notes}`,
          ),
      ],
    });
  }

  const delegation = delegationSteps(spec);
  steps.push(...delegation);
  steps.push({
    key: "wait",
    title: "Wait for Google to apply the settings",
    needs: [...spec.clients.map((_, i) => `client${i}`), ...delegation.map((d) => d.key)],
    body: [
      "Console changes take 5 minutes to a few hours to take effect; until then a new client can answer `invalid_client` and a new redirect URI `redirect_uri_mismatch`.",
    ],
  });

  const specFile = opts.specFile ?? DEFAULT_SPEC_FILE;
  // The client JSON comes straight from Secret Manager through a pipe, so the secret never lands on disk.
  const account = audience.testUsers[0] ?? "MAILBOX@example.com";
  steps.push({
    key: "validate",
    title: "Validate the connection",
    needs: ["wait"],
    body: [
      `Run as someone who can read the secret${spec.clients.length > 1 ? ", once per client" : ""}${audience.testUsers[0] ? "" : "; replace MAILBOX@example.com with the mailbox to connect"}:`,
      "```sh",
      `pulumi stack output --json > ${specFile}`,
      // `validate --spec` alone checks every client and service account; each line here names one, as each needs
      // its own credential (the client's secret; the right to sign as the service account).
      ...spec.clients.map(
        (c) =>
          `npx gmail-oauth validate --spec ${specFile}${spec.clients.length > 1 || (spec.serviceAccounts?.length ?? 0) > 0 ? ` --client ${c.name}` : ""} --client-secret-file <(gcloud secrets versions access latest --secret=${clientSecretId(c.name)} --project=${project}) --account ${account}`,
      ),
      ...delegationValidateLines(spec, specFile),
      "```",
    ],
  });

  // A connection of service accounts only has no consent screen or client to set up.
  if (spec.clients.length === 0) return steps.filter((s) => s.key.startsWith("dwd") || s.key === "validate");
  return steps;
}

function clientStep(client: OAuthClientSpec, index: number, createLink: string, project: string): RunbookStep {
  const key = `client${index}`;
  const typeLabel = client.type === "web" ? "Web application" : "Desktop app";
  if (client.clientId) {
    return {
      key,
      title: `Check OAuth client ${code(client.name)}`,
      link: clientLink(client.clientId, project),
      needs: ["start"],
      body: [
        `The client exists (ID ${code(client.clientId)}). Check that it is a **${typeLabel}** and that its lists match exactly (scheme, case, port and trailing slash all count):`,
        ...(client.type === "web"
          ? [
              "- Authorized redirect URIs:",
              ...list(client.redirectUris),
              ...(client.javascriptOrigins.length
                ? ["- Authorized JavaScript origins:", ...list(client.javascriptOrigins)]
                : []),
            ]
          : ["- Desktop clients have no redirect URIs to register."]),
      ],
    };
  }
  const body = [`- Application type: **${typeLabel}**`, `- Name: ${code(client.name)}`];
  if (client.type === "web") {
    if (client.javascriptOrigins.length)
      body.push("- Authorized JavaScript origins: **Add URI** for each:", ...list(client.javascriptOrigins));
    body.push(
      "- Authorized redirect URIs: **Add URI** for each, exactly as written (scheme, case, port and trailing slash all count):",
      ...list(client.redirectUris),
    );
  } else {
    body.push("- Desktop clients need no redirect URIs: the app listens on http://127.0.0.1:PORT.");
  }
  body.push(
    "Click **Create**, then copy the **Client ID** and **Client secret** from the dialog: Google shows the secret only now.",
  );
  return {
    key,
    title: `Create OAuth client ${code(client.name)}`,
    link: createLink,
    needs: ["branding", "audience", "scopes"],
    body,
  };
}

function header(spec: ConnectionSpec, automated: AutomatedSteps): string[] {
  const lines = [
    `# Console runbook: ${spec.branding.appName} (project ${code(spec.project.id)})`,
    "",
    "No public Google API is known to configure the consent screen, test users or Web/Desktop OAuth clients (widely reported; the IAP OAuth Admin API, which only ever made Internal IAP clients, was deprecated on 2025-01-22 and shut down on 2026-03-19), so these steps are done by hand in the Google Auth Platform console. Follow them in order; each link opens the right project.",
  ];
  if (spec.oauthAdmins.length > 0)
    lines.push(
      "",
      `Sign in as one of ${spec.oauthAdmins.map(code).join(", ")} (roles/oauthconfig.editor), or a project Owner or Editor.`,
    );
  const done: string[] = [];
  if (automated.project === "created")
    done.push(
      `- Project ${code(spec.project.id)} created${spec.project.deletionProtection ? " with deletion protection (`pulumi destroy` will not delete it)" : ""}.`,
    );
  if (automated.project === "adopted")
    done.push(`- Existing project ${code(spec.project.id)} adopted (never modified or deleted by the program).`);
  if (automated.gmailApiEnabled) done.push(`- Gmail API enabled: ${consoleLink("gmailApiLibrary", spec.project.id)}`);
  if (automated.oauthAdminsGranted?.length)
    done.push(`- roles/oauthconfig.editor granted to ${automated.oauthAdminsGranted.map(code).join(", ")}.`);
  for (const [name, secretId] of Object.entries(automated.storedSecrets ?? {}))
    done.push(
      `- Client ${code(name)}: ID and secret stored in Secret Manager as ${code(secretId)}${spec.appServiceAccount ? `, readable by ${code(spec.appServiceAccount)}` : ""}.`,
    );
  if (done.length > 0) lines.push("", "## Already done by `pulumi up`", "", ...done);
  lines.push("", "## Steps");
  return lines;
}

function renderSteps(steps: readonly RunbookStep[]): string[] {
  const number = new Map(steps.map((s, i) => [s.key, i + 1]));
  const ref = (key: string) => number.get(key);
  const lines: string[] = [];
  steps.forEach((step, i) => {
    lines.push("", `### ${i + 1}. ${step.title}`, "");
    if (step.link) lines.push(`Open ${step.link}`, "");
    const needs = step.needs.map(ref).filter((n): n is number => n !== undefined);
    if (needs.length > 0)
      lines.push(`Needs step${needs.length > 1 ? "s" : ""} ${joinAnd(needs.map(String))} first.`, "");
    // `{key}` in a body names another step by key; anything else in braces (a URI's text) is left alone.
    let previous = "";
    for (const raw of step.body) {
      const line = raw.replace(/\{(\w+)\}/g, (match, key: string) => String(ref(key) ?? match));
      // Markdown needs a blank line where a list starts or ends.
      if (
        previous &&
        isListLine(previous) !== isListLine(line) &&
        !previous.startsWith("```") &&
        !line.startsWith("```")
      )
        lines.push("");
      lines.push(line);
      previous = line;
    }
  });
  return lines;
}

const isListLine = (line: string): boolean => /^\s*- /.test(line);

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The Workspace admin's console-only step per service account (google-behaviour.md §10): exact Client ID, exact scope list, links. */
function delegationSteps(spec: ConnectionSpec): RunbookStep[] {
  return (spec.serviceAccounts ?? []).map((sa, i) => {
    const email = serviceAccountEmail(sa.accountId, spec.project.id);
    const clientId = sa.uniqueId;
    return {
      key: `dwd${i}`,
      title: `Domain-wide delegation for ${email}`,
      link: DWD_CONSOLE_URL,
      needs: [],
      body: [
        "A Workspace super admin does this in the Admin console: Security → Access and data control → API controls → Manage Domain Wide Delegation → Add new.",
        clientId
          ? `- Client ID: ${code(clientId)} (the service account's unique ID; not its email, not a key ID)`
          : `- Client ID: the service account's unique ID, 21 digits: \`pulumi stack output serviceAccountUniqueIds\` after \`pulumi up\` (not its email, not a key ID)`,
        `- OAuth scopes, exactly (comma-separated, no spaces): ${code(dwdScopeField(sa.scopes))}`,
        ...(clientId ? [`- Or open the prefilled form: ${dwdPrefilledLink(clientId, sa.scopes)}`] : []),
        `Then Authorize. It must let ${email} act as ${sa.mailboxes.map(code).join(", ")}${sa.signing === "keyless" ? " (the app signs keyless through IAM Credentials signJwt; no key is downloaded)" : " (the app signs with the key stored in Secret Manager)"}.`,
      ],
    };
  });
}

/** The validate commands for each service account (keyless: the operator's cloud credential signs). */
function delegationValidateLines(spec: ConnectionSpec, specFile: string): string[] {
  return (spec.serviceAccounts ?? []).map(
    (sa) =>
      `npx gmail-oauth validate --spec ${specFile} --service-account ${serviceAccountEmail(sa.accountId, spec.project.id)}`,
  );
}
