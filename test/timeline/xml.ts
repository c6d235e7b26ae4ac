// A small XML well-formedness checker for renderer tests: tags nest and close, attributes are quoted and
// unique, entities are known, no raw "<" or "&" in text. Returns the element tree for content checks.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = "[A-Za-z_][\\w.:-]*";
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`bad entity in ${where}: ${raw.slice(0, 60)}`);
  return raw.replace(ENTITY, (e) =>
    e === "&amp;" ? "&" : e === "&lt;" ? "<" : e === "&gt;" ? ">" : e === "&quot;" ? '"' : e === "&apos;" ? "'" : String.fromCodePoint(e[2] === "x" ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10)),
  );
}

export function parseXml(source: string): XmlElement {
  const tag = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, "y");
  const attr = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, "g");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = source.startsWith("<?xml") ? source.indexOf("?>") + 2 : 0;
  while (i < source.length) {
    const lt = source.indexOf("<", i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text.trim()) {
      if (stack.length === 0) throw new Error(`text outside the root: ${text.slice(0, 40)}`);
      stack[stack.length - 1]!.text += decode(text, "text");
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(source);
    if (!m) throw new Error(`malformed tag at ${lt}: ${source.slice(lt, lt + 60)}`);
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(attr)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
        attrs[a[1]!] = decode(a[2] ?? a[3] ?? "", `attribute ${a[1]}`);
      }
      const el: XmlElement = { name: name!, attrs, children: [], text: "" };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error("two root elements");
      else root = el;
      if (!selfClose) stack.push(el);
    }
    i = tag.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every element in document order. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(allElements)];
}

/** All text content of the elements named `name` (default every element), each joined. */
export function texts(el: XmlElement, name?: string): string[] {
  return allElements(el)
    .filter((e) => name === undefined || e.name === name)
    .map((e) => e.text + e.children.map((c) => c.text).join(""));
}
