// What happens to an error between Google and the paste box, undone before anything is read: JSON inside JSON
// strings, Python and PHP string escapes, HTML entities and tags, percent-encoding, markdown fences and quote markers,
// lines a terminal or a mail client wrapped, full-width punctuation from CJK pages, invisible characters. Every family
// reads the normalized text, so a signal is recognised the same way however the paste arrived.

/** JSON, Python and PHP escapes (up to three levels: a JSON log line holding a JSON body holding a message). */
function unescapeStrings(input: string): string {
  let t = input;
  for (let i = 0; i < 3 && /\\\\?[n"'t]|\\u00[0-9a-f]{2}/i.test(t); i++) {
    t = t
      .replace(/\\\\(?=[nrt"'\\u])/g, "\\")
      .replace(/\\r\\n|\\n|\\r/g, "\n")
      .replace(/\\t/g, "\t")
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\(["'])/g, "$1");
  }
  // Python's repr of bytes with octal escapes for a typographic apostrophe ("doesn\342\200\231t"); other octal
  // escapes (CJK text in a b'…' repr) are left as they are.
  return t.replace(/\\342\\200\\23[0-9]/g, "'");
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  apos: "'",
  amp: "&",
  lt: "<",
  gt: ">",
  nbsp: " ",
  rsquo: "'",
  lsquo: "'",
  ldquo: '"',
  rdquo: '"',
  hellip: "…",
};

/** HTML entities, named and numeric, twice over for a page that was escaped again by a forum. */
function decodeEntities(input: string): string {
  let t = input;
  for (let i = 0; i < 2 && /&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(t); i++) {
    t = t.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === "#") {
        const n = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    });
  }
  return t;
}

/** Markup of a page copied as HTML (not Python's `<HttpError …>` repr, which is not a tag). */
const HTML_TAG =
  /<\/?(?:a|b|i|u|em|strong|code|pre|span|div|p|h[1-6]|li|ul|ol|td|tr|th|table|tbody|thead|body|html|head|title|meta|link|section|article|main|header|footer|label|small|font|center|img|ins|del|kbd|samp|blockquote)(?=[\s>/])[^<>]{0,400}>/gi;

/**
 * A run of text holding percent-escapes (a URL or a form body pasted as is). A run is tried only where it starts (the
 * lookbehind) and each escape is followed by plain characters, so a long line is read once, not once per position.
 */
const PERCENT_RUN = /(?<![^\s%"'<>])[^\s%"'<>]*(?:%[0-9A-Fa-f]{2}[^\s%"'<>]*)+/g;

function decodePercent(input: string): string {
  if (!/%(?:2[0-9A-F]|3[A-F]|5[BDF]|7[BD])/i.test(input)) return input;
  return input.replace(PERCENT_RUN, (run) => {
    if (!run.includes("%")) return run;
    // `&` and `#` stay encoded: decoded, they would end a query value early, and a redirect URI with its own query
    // (…/cb%3Fdb%3Dprod%26lang%3Den) must be read whole (signals.ts decodes the value it takes).
    const kept = run.replace(/%26/g, "\uE000").replace(/%23/g, "\uE001");
    let decoded: string;
    try {
      // Twice: a redirect URI inside an authError URL is encoded twice (%253A).
      const once = decodeURIComponent(kept);
      decoded = /%[0-9A-Fa-f]{2}/.test(once) ? safeDecode(once) : once;
    } catch {
      return run;
    }
    return decoded.replace(/\uE000/g, "%26").replace(/\uE001/g, "%23");
  });
}

/** decodeURIComponent, or the text as it was when it is not valid percent-encoding (a paste cut mid-escape). */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Quote markers of mail and forum replies ("> "), markdown fences and inline code marks. */
function stripMarkdown(input: string): string {
  return input
    .replace(/^[ \t]*(?:>[ \t]?)+/gm, "")
    .replace(/^[ \t]*(?:```|~~~)[\w+-]*[ \t]*$/gm, "")
    .replace(/`{1,3}([^`\n]+)`{1,3}/g, "$1");
}

/**
 * The text with lines a terminal, a mail client or a forum hard-wrapped joined again: a break between two non-space
 * characters after a long line (wrap widths are 64 to 80) is taken out. Only a fallback view for finding a code or a
 * reason cut in two ("redirect_uri_mis" / "match"): joined everywhere it would glue ordinary log lines together.
 */
export function joinWrappedLines(text: string): string {
  // A loop over the lines, not one regular expression: `[^\n]{60,}\n` retried at every position of a long line
  // without a break is quadratic in the input (a 1 MiB one-line log).
  const lines = text.split("\n");
  let out = lines[0] ?? "";
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1]!;
    const joins = prev.length >= 60 && /\S$/.test(prev) && /^\S/.test(lines[i]!);
    out += (joins ? "" : "\n") + lines[i];
  }
  return out;
}

/** Full-width punctuation of CJK pages, typographic quotes, non-breaking and zero-width spaces. */
function plainPunctuation(input: string): string {
  return input
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/[\u00A0\u202F\u2007\u3000]/g, " ")
    .replace(/\uFF1A/g, ":")
    .replace(/\uFF08/g, "(")
    .replace(/\uFF09/g, ")")
    .replace(/\uFF0C/g, ", ")
    .replace(/[\u2018\u2019\u02BC\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u00AB\u00BB]/g, '"')
    .replace(/\r\n?/g, "\n");
}

/**
 * SMTP replies as libraries re-print them, back in Google's own form: Python's `(534, b'5.7.9 …')`, MailKit's
 * `534: 5.7.9 …`, so a reply code and its enhanced status read the same from every library.
 */
function smtpReplies(input: string): string {
  return input
    .replace(/\(([245]\d\d), b?['"]([245]\.\d{1,3}\.\d{1,3})/g, "($1 $2")
    .replace(/\b([245]\d\d): ([245]\.\d{1,3}\.\d{1,3})\b/g, "$1 $2");
}

/** The text every family reads: the paste with what happened to it on the way undone. */
export function normalizeText(input: string): string {
  let t = plainPunctuation(input);
  t = unescapeStrings(t);
  t = smtpReplies(t);
  t = decodeEntities(t);
  // A link's address is kept: Google's block page says where it sends the request (…/sorry/…) only there.
  t = t
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(HTML_TAG, (tag) => ` ${/\bhref\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? ""} `);
  t = stripMarkdown(t);
  t = decodePercent(t);
  return plainPunctuation(t);
}
