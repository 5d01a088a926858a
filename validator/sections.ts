// The sections of a combined report (`validate --all`, a spec's clients and service accounts, issue 26): each
// connection's checks carry its name in both the id (`NAME/…`) and the title (`NAME: …`), so the JSON stays one flat
// list and a report read back from JSON (the sandbox, `fleet --resume`) still has its sections. Structural types
// only: the verdict rule (verdict.ts) and the report (report.ts) both read them.

interface Named {
  readonly id: string;
  readonly title: string;
}

/** The checks of one connection, as a section of a combined report. */
export function inSection<C extends Named>(name: string, checks: readonly C[]): C[] {
  return checks.map((c) => ({ ...c, id: `${name}/${c.id}`, title: `${name}: ${c.title}` }));
}

/** The section a check belongs to: both its id and its title must start with the name. */
export function sectionOf(c: Named): string | undefined {
  const colon = c.title.indexOf(": ");
  if (colon <= 0) return undefined;
  const name = c.title.slice(0, colon);
  return c.id.startsWith(`${name}/`) ? name : undefined;
}

/** The id and title without the section's name. */
export function withinSection(c: Named, section: string | undefined): { id: string; title: string } {
  if (section === undefined) return { id: c.id, title: c.title };
  return { id: c.id.slice(section.length + 1), title: c.title.slice(section.length + 2) };
}
