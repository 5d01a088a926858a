// The browser page of `gmail-oauth explain` (dist/web/explain.html): the same explain() the CLI runs, bundled into
// one self-contained file by scripts/build-web.ts. Nothing leaves the page: its Content-Security-Policy allows no
// connection, and this script makes none. The contract for automation: the paste box is #input, the answer is
// #result with data-diagnosis holding the code ("" when not recognized).
import { codeFence } from "../../common/markdown";
import { redactByShape } from "../../common/secretShapes";
import { DIAGNOSES, diagnosisLink } from "../../validator/diagnoses";
import { normalizeText } from "../../validator/diagnosis/normalize";
import { explain, type ExplainResult } from "../../validator/explain";

/** The CLI's limit on what `explain` reads (cli/handlers/explain.ts): the page refuses more the same way. */
const MAX_PASTE_CHARS = 1 << 20;
/** Up to this size a paste is answered on the keystroke; above it, once typing pauses, so the box stays responsive. */
const IMMEDIATE_CHARS = 64 * 1024;
const PAUSE_MS = 150;

type Child = Node | string | null | undefined | false;

/** An element with text children (never HTML: the paste is shown as text, so it cannot inject markup). */
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

function link(href: string): HTMLElement {
  return el("a", { href, rel: "noreferrer noopener", target: "_blank" }, href);
}

/** Lines too short to stand for an evidence line on their own (`{`, `}`, `at …`). */
const MIN_MARKED = 8;

/**
 * The paste, redacted, with the lines the evidence was read from marked. Evidence lines come from the normalized
 * text, so each pasted line is compared in that form too (an escaped JSON line, a quoted one).
 */
function pasteWithMarks(paste: string, r: ExplainResult): HTMLElement {
  const lines = (r.evidence ?? []).flatMap((e) => (e.line ? [normalizeText(e.line.replace(/…$/, "")).trim()] : []));
  const pre = el("pre", {
    class: "paste",
    "aria-label": "The pasted text, with the lines the diagnosis rests on marked",
  });
  for (const raw of paste.split("\n")) {
    const t = normalizeText(raw).trim();
    const hit = t.length >= MIN_MARKED && lines.some((l) => l.length >= MIN_MARKED && (t.includes(l) || l.includes(t)));
    const shown = redactByShape(raw);
    pre.append(hit ? el("mark", {}, shown) : document.createTextNode(shown), "\n");
  }
  return pre;
}

function section(title: string, ...children: Child[]): HTMLElement {
  return el("section", {}, el("h3", {}, title), ...children);
}

function render(paste: string, r: ExplainResult): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const consoleLink = r.diagnosis
    ? diagnosisLink(r.diagnosis, { project: r.details.project_number, clientId: r.details.client_id })
    : undefined;
  if (r.diagnosis) {
    const d = DIAGNOSES[r.diagnosis];
    parts.push(
      el(
        "h2",
        { id: "title" },
        d.title,
        " ",
        el("code", { class: "code" }, d.code),
        r.inferred
          ? el("span", { class: "badge", title: "rests on behaviour Google does not document" }, "inferred")
          : null,
      ),
    );
    if (r.alternatives?.length)
      parts.push(
        el("p", { class: "note" }, "The most likely reading; the others this text cannot rule out are below."),
      );
    parts.push(section("Cause", el("p", {}, d.cause)));
    parts.push(section("Fix", el("ol", {}, ...d.fix.map((s) => el("li", {}, redactByShape(s))))));
    if (consoleLink) parts.push(section("Console", el("p", {}, link(consoleLink))));
  } else if (r.note) {
    parts.push(el("h2", { id: "title" }, "Recognized, but not a setup problem"), el("p", {}, `${r.note}.`));
  } else {
    parts.push(el("h2", { id: "title" }, "Not recognized"));
    parts.push(
      el(
        "p",
        {},
        r.evidence?.length
          ? "No cause Google names was found. What the page saw is listed under Evidence."
          : "No Google error code, reason, SMTP reply or network failure was found in this text.",
      ),
    );
    if (r.next)
      parts.push(section("What would tell", el("p", {}, el("code", {}, r.next.command)), el("p", {}, r.next.why)));
  }
  if (r.alternatives?.length)
    parts.push(
      section(
        "Other readings",
        el(
          "ul",
          {},
          ...r.alternatives.map((a) => el("li", {}, el("code", {}, a.code), ` ${DIAGNOSES[a.code].title}: ${a.when}`)),
        ),
      ),
    );
  if (r.evidence?.length)
    parts.push(
      section(
        "Evidence",
        el("ul", {}, ...r.evidence.map((e) => el("li", {}, el("strong", {}, e.signal), `: ${redactByShape(e.value)}`))),
        pasteWithMarks(paste, r),
      ),
    );
  return parts;
}

/** The answer as Markdown for a support ticket; the paste and every value pass through the same redaction. */
function markdownOf(paste: string, r: ExplainResult): string {
  const out: string[] = [];
  if (r.diagnosis) {
    const d = DIAGNOSES[r.diagnosis];
    out.push(
      `### ${d.title} (\`${d.code}\`)${r.inferred ? " (inferred)" : ""}`,
      "",
      `**Cause.** ${d.cause}`,
      "",
      "**Fix.**",
      "",
    );
    d.fix.forEach((s, i) => {
      out.push(`${i + 1}. ${s}`);
    });
    const l = diagnosisLink(d.code, { project: r.details.project_number, clientId: r.details.client_id });
    if (l) out.push("", `**Console:** ${l}`);
  } else out.push(r.note ? `### Recognized, but not a setup problem\n\n${r.note}.` : "### Not recognized");
  if (r.alternatives?.length) {
    out.push("", "**Other readings:**", "");
    for (const a of r.alternatives) out.push(`- \`${a.code}\`: ${a.when}`);
  }
  const fence = codeFence(paste);
  out.push("", "**The error:**", "", `${fence}text`, paste.trim(), fence);
  return redactByShape(out.join("\n"));
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // file:// pages may be refused the async clipboard: the selection fallback works there.
    const area = el("textarea", { "aria-hidden": "true", class: "offscreen" }) as HTMLTextAreaElement;
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function main(): void {
  const input = document.getElementById("input") as HTMLTextAreaElement;
  const result = document.getElementById("result") as HTMLElement;
  const copyButton = document.getElementById("copy") as HTMLButtonElement;
  const status = document.getElementById("status") as HTMLElement;
  const announce = document.getElementById("announce") as HTMLElement;
  let last: { paste: string; r: ExplainResult } | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const paste = input.value;
    if (paste.trim() === "" || paste.length > MAX_PASTE_CHARS) {
      last = undefined;
      result.setAttribute("data-diagnosis", "");
      result.replaceChildren(
        el(
          "p",
          { class: "hint" },
          paste.trim() === ""
            ? "The answer appears here as soon as you paste."
            : "This is more than 1 MiB: paste only the error and the lines around it.",
        ),
      );
      announce.textContent = paste.trim() === "" ? "" : "Too long to explain: paste only the error.";
      copyButton.disabled = true;
      return;
    }
    const r = explain(paste);
    last = { paste, r };
    result.setAttribute("data-diagnosis", r.diagnosis ?? "");
    result.replaceChildren(...render(paste, r));
    // One short sentence for screen readers, not the whole answer again on every keystroke.
    announce.textContent = r.diagnosis
      ? `Diagnosis: ${DIAGNOSES[r.diagnosis].title}.`
      : r.note
        ? "Recognized, but not a setup problem."
        : "Not recognized.";
    copyButton.disabled = false;
  };
  input.addEventListener("input", () => {
    if (pending !== undefined) clearTimeout(pending);
    pending = undefined;
    if (input.value.length <= IMMEDIATE_CHARS) update();
    else pending = setTimeout(update, PAUSE_MS);
  });
  copyButton.addEventListener("click", async () => {
    if (!last) return;
    status.textContent = (await copy(markdownOf(last.paste, last.r)))
      ? "Copied as Markdown (secrets and tokens redacted)."
      : "Copy failed: select the answer and copy it by hand.";
  });
  update();
}

if (typeof document !== "undefined") main();
