// Name patterns for the pack's config lists (dev stacks, exempt stacks, allowed test-user domains).
// Only `*` is special, so a platform team can write `dev-*` or `*.example.com` without learning regex syntax.

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

/** True when `value` matches one of the `*` patterns. Stack names are case-sensitive in Pulumi; domains are not. */
export function matchesAnyPattern(value: string, patterns: readonly string[], caseInsensitive = false): boolean {
  return patterns.some((p) => globToRegExp(p, caseInsensitive).test(value));
}

/**
 * The stack name from a resource URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). Policies see the URN but not
 * the stack, and the dev-stack exemptions hinge on it.
 */
export function stackFromUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}
