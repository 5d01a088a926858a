// Durations as people type them on the command line (`--warn-before 2d`) and as reports say them ("2 days").

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `30m`, `36h`, `2d`, `1w`, or a combination (`1d12h`); undefined when the text is none of these. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(t)) return undefined;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit];
  return ms;
}

/** The largest two units that matter: "2 days 3 hours", "5 hours", "40 minutes", "12 seconds". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  for (const [name, size] of [
    ["day", UNIT_MS.d],
    ["hour", UNIT_MS.h],
    ["minute", UNIT_MS.m],
    ["second", UNIT_MS.s],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p) => !p.startsWith("0 "));
  return shown.length > 0 ? shown.join(" ") : "0 seconds";
}
