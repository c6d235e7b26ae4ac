// The code around the cursor for complete and inspect: offsets, string/comment state, `a.b.c` chains, and
// resolving such a chain against live objects without running user code.
//
// Jupyter counts cursor positions in Unicode code points; JavaScript strings index UTF-16 units. Everything
// here works in UTF-16 units and converts at the edges.
import { types } from "node:util";

/** The UTF-16 index of a code point offset (clamped to the text). */
export function unitIndex(text: string, codePoints: number): number {
  if (!Number.isFinite(codePoints) || codePoints <= 0) return 0;
  let units = 0;
  let seen = 0;
  while (units < text.length && seen < codePoints) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
    seen++;
  }
  return units;
}

/** The code point offset of a UTF-16 index. */
export function codePointIndex(text: string, units: number): number {
  let count = 0;
  for (let i = 0; i < units && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < units) i++;
    count++;
  }
  return count;
}

export const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const IDENTIFIER_TAIL = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Where the end of `text` sits: in code, or inside a string / template text / comment starting at `start`. */
export type LexicalPlace =
  | { kind: "code" }
  | { kind: "string"; quote: "'" | '"' | "`"; start: number }
  | { kind: "comment"; start: number };

/**
 * Scans code for strings, template literals (with `${}` nesting) and comments, to tell what the end of the
 * text is inside. Regular expression literals are not recognised: a quote inside one may mislead the scan,
 * which costs at worst a missed completion.
 */
export function lexicalPlace(text: string): LexicalPlace {
  // A stack of open template literals: each entry is the brace depth of the `${` expression we are in.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      if (end === -1) return { kind: "comment", start: i };
      i = end + 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return { kind: "comment", start: i };
      i = end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      if (j >= n) return { kind: "string", quote: c, start: i };
      i = j + 1;
    } else if (c === "`" || (c === "}" && templates.length > 0 && braces === templates[templates.length - 1])) {
      // Template text: from a backtick, or from the `}` that closes a `${` expression, up to the closing
      // backtick or the next `${` (whose expression is code again, ended by a `}` at the same brace depth).
      if (c === "}") templates.pop();
      let j = i + 1;
      let expression = false;
      while (j < n && text[j] !== "`") {
        if (text[j] === "\\") j += 2;
        else if (text[j] === "$" && text[j + 1] === "{") {
          templates.push(braces);
          j += 2;
          expression = true;
          break;
        } else j++;
      }
      if (!expression && j >= n) return { kind: "string", quote: "`", start: i };
      i = expression ? j : j + 1;
    } else {
      if (c === "{") braces++;
      else if (c === "}") braces--;
      i++;
    }
  }
  return { kind: "code" };
}

/** An `a.b.c` chain ending at some offset: the names before the last dot, and the (maybe partial) last name. */
export interface Chain {
  /** Fully typed names before the last dot (empty for a bare identifier). */
  path: string[];
  /** The identifier being typed after the last dot (may be empty right after a dot). */
  partial: string;
  /** UTF-16 offset where `partial` starts. */
  partialStart: number;
}

/**
 * The identifier chain that ends at the end of `text`, e.g. `console.lo` -> path ["console"], partial "lo".
 * Chains that do not start at a plain identifier (after `)`, `]`, a number or another dot) are refused:
 * resolving them would mean calling or indexing something.
 */
export function chainAt(text: string): Chain | undefined {
  const tail = IDENTIFIER_TAIL.exec(text);
  const partial = tail ? tail[0] : "";
  if (partial && /^[0-9]/.test(partial)) return undefined;
  const partialStart = text.length - partial.length;
  const path: string[] = [];
  let at = partialStart;
  // Walk left over `name.` / `name?.` pairs.
  for (;;) {
    let j = at;
    while (j > 0 && /\s/.test(text[j - 1]!)) j--;
    if (text[j - 1] !== ".") break;
    j--;
    if (text[j - 1] === "?") j--;
    if (text[j - 1] === ".") return undefined; // `...spread` or `a..b`
    while (j > 0 && /\s/.test(text[j - 1]!)) j--;
    const before = text.slice(0, j);
    const name = IDENTIFIER_TAIL.exec(before);
    if (!name) return undefined; // `f().x`, `a[0].x`, `"s".x`: not a plain chain
    path.unshift(name[0]);
    at = j - name[0].length;
  }
  // The chain must not continue a longer expression on the left (`x.` already handled; `1.5` or `#p`).
  const lead = text[at - 1];
  if (lead !== undefined && (IDENTIFIER_CHAR.test(lead) || lead === "#" || lead === "." || lead === "@")) return undefined;
  if (path.length > 0 && /^[0-9]/.test(path[0]!)) return undefined;
  return { path, partial, partialStart };
}

/** The whole identifier around `index` extends right to here (for a cursor in the middle of a name). */
export function identifierEnd(text: string, index: number): number {
  let end = index;
  while (end < text.length && IDENTIFIER_CHAR.test(text[end]!)) end++;
  return end;
}

const NOT_FOUND: unique symbol = Symbol("not found");
export type Resolved = { found: true; value: unknown } | { found: false };

function isNativeFunction(fn: unknown): boolean {
  try {
    return typeof fn === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/**
 * Reads one property without running user code: data properties are read from their descriptor, getters
 * only when they are built into the engine (Map#size, TypedArray#length), or sit on the global object or
 * `process` (Node's lazy globals and notebook declarations). Proxies are never touched: every look at one
 * runs a user trap.
 */
export function readProperty(target: unknown, name: string, scope: object): unknown | typeof NOT_FOUND {
  if (target === null || target === undefined) return NOT_FOUND;
  let object: object = Object(target);
  if (types.isProxy(object)) return NOT_FOUND;
  const trustedGetters = target === scope || target === globalThis || target === process;
  for (let level: object | null = object; level !== null; level = Object.getPrototypeOf(level)) {
    if (types.isProxy(level)) return NOT_FOUND;
    const descriptor = Object.getOwnPropertyDescriptor(level, name);
    if (!descriptor) continue;
    if ("value" in descriptor) return descriptor.value;
    if (descriptor.get && (trustedGetters || isNativeFunction(descriptor.get))) {
      try {
        return descriptor.get.call(target);
      } catch {
        return NOT_FOUND;
      }
    }
    return NOT_FOUND;
  }
  return NOT_FOUND;
}

/** Follows a chain of names from the notebook scope. */
export function resolvePath(path: string[], scope: object): Resolved {
  if (path.length === 0) return { found: false };
  let value: unknown = scope;
  for (const name of path) {
    let next: unknown;
    try {
      next = readProperty(value, name, scope);
    } catch {
      return { found: false };
    }
    if (next === NOT_FOUND) return { found: false };
    value = next;
  }
  return { found: true, value };
}
