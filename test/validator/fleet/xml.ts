// A strict little XML well-formedness check for the JUnit output (no XML parser is a dependency): balanced tags,
// one root, quoted attributes, only the five predefined or numeric entities. Returns the elements in document order.
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly depth: number;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(text: string, where: number): void {
  if (text.replace(ENTITY, "").includes("&")) throw new Error(`bare & at ${where}`);
  if (text.includes("<")) throw new Error(`bare < at ${where}`);
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) throw new Error(`control character at ${where}`);
}

export function checkXml(xml: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  if (xml.startsWith("<?xml")) i = xml.indexOf("?>") + 2;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root at ${i}`);
    checkText(text, i);
    if (lt === -1) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end === -1 || xml.slice(lt + 4, end).includes("--")) throw new Error(`bad comment at ${lt}`);
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    if (gt === -1) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element at ${lt}`);
    } else {
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$/.exec(body);
      if (!m) throw new Error(`malformed tag <${tag}> at ${lt}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} at ${lt}`);
        checkText(a[2]!, lt);
        attrs[a[1]!] = a[2]!
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, "&");
      }
      if (stack.length === 0 && ++roots > 1) throw new Error("more than one root element");
      elements.push({ name: m[1]!, attrs, depth: stack.length });
      if (!selfClosing) stack.push(m[1]!);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (roots !== 1) throw new Error("no root element");
  return elements;
}
