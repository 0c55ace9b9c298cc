/**
 * A small XML reader for SBE schema files: elements, attributes, text, comments and the XML
 * declaration. No DTDs, no CDATA, no namespaces resolution (a prefix stays part of the name: `sbe:message`).
 * Enough for the published schema; it throws on anything it does not understand rather than guessing.
 */

/** One element: its name, attributes, child elements and concatenated text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, function entity(_m, name: string) {
    if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name]!;
  });
}

const ATTR = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of src.matchAll(ATTR)) attrs[m[1]!] = unescapeXml(m[3] ?? m[4] ?? "");
  return attrs;
}

/**
 * Parses an XML document and returns its root element.
 *
 * @example
 * const root = parseXml('<a x="1"><b>hi</b></a>'); // root.children[0].text === "hi"
 */
export function parseXml(src: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i && stack.length > 0) stack[stack.length - 1]!.text += unescapeXml(src.slice(i, textEnd));
    if (lt < 0) break;
    if (src.startsWith("<!--", lt)) {
      const end = src.indexOf("-->", lt + 4);
      if (end < 0) throw new SyntaxError(`unterminated comment at ${lt}`);
      i = end + 3;
      continue;
    }
    if (src.startsWith("<?", lt)) {
      const end = src.indexOf("?>", lt + 2);
      if (end < 0) throw new SyntaxError(`unterminated declaration at ${lt}`);
      i = end + 2;
      continue;
    }
    if (src.startsWith("<!", lt)) throw new SyntaxError(`unsupported markup at ${lt}`);
    const gt = findTagEnd(src, lt);
    const body = src.slice(lt + 1, gt);
    i = gt + 1;
    if (body.startsWith("/")) {
      const name = body.slice(1).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new SyntaxError(`unexpected </${name}> at ${lt}`);
      continue;
    }
    const selfClosing = body.endsWith("/");
    const inner = selfClosing ? body.slice(0, -1) : body;
    const nameEnd = inner.search(/[\s]/);
    const name = nameEnd < 0 ? inner : inner.slice(0, nameEnd);
    const el: XmlElement = { name, attrs: nameEnd < 0 ? {} : parseAttrs(inner.slice(nameEnd)), children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(el);
    else if (root === undefined) root = el;
    else throw new SyntaxError(`second root element <${name}> at ${lt}`);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new SyntaxError(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root === undefined) throw new SyntaxError("no root element");
  return root;
}

/** The `>` closing a tag that starts at `lt`, skipping `>` inside quoted attribute values. */
function findTagEnd(src: string, lt: number): number {
  let quote = "";
  for (let j = lt + 1; j < src.length; j++) {
    const c = src[j]!;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j;
  }
  throw new SyntaxError(`unterminated tag at ${lt}`);
}
