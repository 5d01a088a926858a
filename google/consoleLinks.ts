// Google Auth Platform console deep links (google-behaviour.md §9). Every link carries ?project= so it opens the right project.

const CONSOLE = "https://console.cloud.google.com";

export const CONSOLE_PAGES = {
  projectCreate: "/projectcreate",
  overview: "/auth/overview",
  overviewCreate: "/auth/overview/create",
  branding: "/auth/branding",
  audience: "/auth/audience",
  dataAccess: "/auth/scopes",
  clients: "/auth/clients",
  createClient: "/auth/clients/create",
  verification: "/auth/verification",
  deletedClients: "/apis/credentials/deleted",
  gmailApiLibrary: "/apis/library/gmail.googleapis.com",
  gmailApiQuotas: "/apis/api/gmail.googleapis.com/quotas",
  iam: "/iam-admin/iam",
  serviceAccounts: "/iam-admin/serviceaccounts",
  secretManager: "/security/secret-manager",
} as const;

export type ConsolePage = keyof typeof CONSOLE_PAGES;

export function consoleLink(page: ConsolePage, project?: string): string {
  const base = `${CONSOLE}${CONSOLE_PAGES[page]}`;
  return project ? `${base}?project=${encodeURIComponent(project)}` : base;
}

/** One client's edit page: client ids are public, so they may appear in links. */
export function clientLink(clientId: string, project?: string): string {
  const base = `${CONSOLE}/auth/clients/${encodeURIComponent(clientId)}`;
  return project ? `${base}?project=${encodeURIComponent(project)}` : base;
}

/** The activation URL Google itself puts in SERVICE_DISABLED errors; it carries the project NUMBER (google-behaviour.md §5.2). */
export function gmailActivationUrl(projectNumberOrId: string): string {
  return `https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=${encodeURIComponent(projectNumberOrId)}`;
}

/**
 * Expand a catalogue link template: `{project}` becomes the project (or is dropped with its query when unknown).
 */
export function expandLinkTemplate(template: string, vars: { project?: string; clientId?: string }): string {
  let out = template;
  if (vars.clientId) out = out.replace(/\{clientId\}/g, encodeURIComponent(vars.clientId));
  if (vars.project) return out.replace(/\{project\}/g, encodeURIComponent(vars.project));
  return out.replace(/[?&]project=\{project\}/g, "");
}
