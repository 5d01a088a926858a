// Why no callback came: Google renders these refusals itself and never redirects (google-behaviour.md §1.2), so the flow can only
// rank the causes by what was declared and say what the browser shows for each.
import type { AudienceSpec } from "../../connection/types";

export interface NoCallbackContext {
  readonly account?: string;
  readonly audience?: Partial<AudienceSpec>;
  readonly waitedMs: number;
  /** Lines from refused callbacks (wrong state, wrong Host…). */
  readonly refused: readonly string[];
}

export function noCallbackDetail(ctx: NoCallbackContext): string {
  const a = ctx.audience;
  const who = ctx.account ?? "the account";
  const notTestUser = `not a test user: the app is in Testing and ${who} is not on Audience → Test users; Google shows "Error 403: access_denied" ("can only be accessed by developer-approved testers") and never calls back`;
  const orgInternal = `org_internal: the app is Internal and ${who} is outside the organization; Google shows "Error 403: org_internal"`;
  const adminPolicy = `admin policy: the Workspace admin blocks the app or its scopes; Google shows "admin_policy_enforced" / "Access to your account data is restricted by policies within your organization"`;
  const abandoned = "the consent page was left open or closed, or the browser could not reach the loopback address";

  const listed = ctx.account && a?.testUsers?.some((u) => u.toLowerCase() === ctx.account!.toLowerCase());
  // No API reads the console's test users, so a declared test user may still be missing there: in Testing that stays
  // the first suspect, and the hint says the declaration was not proof.
  const notTestUserDespiteSpec = `${notTestUser} (the spec lists ${who}, but no API can read the console's list: check it was added there)`;
  let ranked: string[];
  if (a?.userType === "internal") ranked = [orgInternal, adminPolicy, abandoned];
  else if (a?.publishingStatus === "testing")
    ranked = listed ? [notTestUserDespiteSpec, abandoned, adminPolicy] : [notTestUser, adminPolicy, abandoned];
  else if (a?.publishingStatus === "production") ranked = [adminPolicy, abandoned];
  else ranked = [notTestUser, orgInternal, adminPolicy, abandoned];
  if (a?.publishingStatus === "testing" && ctx.account && !listed && a.testUsers)
    ranked[0] = `${ranked[0]} (the spec's test users do not list ${ctx.account})`;

  const refused =
    ctx.refused.length > 0
      ? ` Meanwhile ${ctx.refused.length} request(s) were refused: ${[...new Set(ctx.refused)].join("; ")}.`
      : "";
  return `No callback within ${Math.round(ctx.waitedMs / 1000)}s. Google shows its refusals in the browser and never redirects them, so look at the page the browser stopped on. Likely causes, most likely first: ${ranked.map((r, i) => `${i + 1}. ${r}`).join("; ")}.${refused}`;
}
