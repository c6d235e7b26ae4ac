// complete_request: what can be typed at the cursor, from the live notebook scope rather than a type checker.
//
// Four places are understood: a magic at the start of a line (`%ti`), a module name inside an import's quotes
// (`import x from "no`), a member after a plain chain of names (`console.lo`, resolved against live objects
// without calling user getters), and a bare name (globals, notebook declarations, names declared in the cell,
// keywords). Inside other strings and comments nothing is offered.
import { builtinModules, isBuiltin } from "node:module";
import { readdirSync, type Dirent } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { types } from "node:util";
import { chainAt, codePointIndex, IDENTIFIER, lexicalPlace, resolvePath, unitIndex } from "./expression.ts";

export interface CompleteExtra {
  /** Magic spellings, e.g. ["%time", "%%timeline"] (a name without `%` counts as a line magic). */
  magics?: string[];
  /** Module names for import completion; defaults to `listModules(cwd)`. */
  modules?: () => string[];
  /** Directory for relative imports and node_modules; defaults to process.cwd(). */
  cwd?: string;
}

/** One match's kind, in ipykernel's `_jupyter_types_experimental` metadata (JupyterLab shows it as an icon). */
export type MatchType = "function" | "class" | "instance" | "property" | "keyword" | "module" | "magic" | "path";

export interface CompleteReply {
  matches: string[];
  /** Code point offsets of the text the matches replace. */
  cursor_start: number;
  cursor_end: number;
  metadata: { _jupyter_types_experimental?: Array<{ start: number; end: number; text: string; type: MatchType }> };
}

/** JavaScript and TypeScript keywords (and contextual words people type at the start of statements). */
export const KEYWORDS = [
  "abstract", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "declare",
  "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "from", "function",
  "get", "if", "implements", "import", "in", "infer", "instanceof", "interface", "keyof", "let", "namespace", "new",
  "null", "of", "private", "protected", "public", "readonly", "return", "satisfies", "set", "static", "super",
  "switch", "this", "throw", "true", "try", "type", "typeof", "undefined", "unique", "using", "var", "void",
  "while", "with", "yield",
];

/** Legacy accessors every object inherits: noise in a completion list. */
const HIDDEN_MEMBERS = new Set(["__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"]);

/** Packages importable from the notebook however it is installed. */
const ALWAYS_MODULES = ["looplab"];

/** Built-ins reachable only with the `node:` prefix. */
const PREFIX_ONLY_BUILTINS = ["sea", "sqlite", "test", "test/reporters"];

const FILE_EXTENSIONS = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * Module names for `import ... from "`: `node:` built-ins (and their bare names), every package in the
 * node_modules folders from `cwd` up to the root (scoped ones as `@scope/name`), and `looplab`.
 */
export function listModules(cwd: string = process.cwd()): string[] {
  const names = new Set<string>(ALWAYS_MODULES);
  for (const name of builtinModules) {
    if (name.startsWith("_")) continue;
    names.add(`node:${name}`);
    names.add(name);
  }
  for (const name of PREFIX_ONLY_BUILTINS) if (isBuiltin(`node:${name}`)) names.add(`node:${name}`);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const entry of listDir(join(dir, "node_modules"))) {
      if (entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        for (const scoped of listDir(join(dir, "node_modules", entry.name))) {
          if (!scoped.name.startsWith(".")) names.add(`${entry.name}/${scoped.name}`);
        }
      } else if (entry.isDirectory() || entry.isSymbolicLink()) {
        names.add(entry.name);
      }
    }
    if (dirname(dir) === dir) break;
  }
  return [...names];
}

function listDir(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Alphabetical, with `_private` names after the public ones (IPython's order). */
function byName(a: string, b: string): number {
  const pa = a.startsWith("_");
  const pb = b.startsWith("_");
  if (pa !== pb) return pa ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeOfValue(value: unknown): MatchType {
  if (typeof value === "function") {
    try {
      return /^class\b/.test(Function.prototype.toString.call(value)) ? "class" : "function";
    } catch {
      return "function";
    }
  }
  return typeof value === "object" && value !== null ? "instance" : "property";
}

/** The members of a live value as `{ name, type }`, own and nearer prototypes first in `ranks`. */
function membersOf(value: unknown): Map<string, { type: MatchType; rank: number }> {
  const members = new Map<string, { type: MatchType; rank: number }>();
  if (value === null || value === undefined) return members;
  let level: object | null = Object(value);
  // Object.prototype and Function.prototype members are rarely what one looks for: list them last.
  const baseRank = (object: object) => (object === Object.prototype || object === Function.prototype ? 1 : 0);
  while (level !== null) {
    if (types.isProxy(level)) break;
    const rank = baseRank(level);
    for (const name of Object.getOwnPropertyNames(level)) {
      if (members.has(name) || HIDDEN_MEMBERS.has(name) || !IDENTIFIER.test(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(level, name);
      const type: MatchType = descriptor && "value" in descriptor ? typeOfValue(descriptor.value) : "property";
      members.set(name, { type, rank });
    }
    level = Object.getPrototypeOf(level);
  }
  return members;
}

/** Names declared in the code being typed (`const x`, `function f`, `class C`, ...), not yet run. */
function declaredIn(code: string): string[] {
  const names: string[] = [];
  const pattern = /\b(?:const|let|var|function\*?|class|enum|interface|type|namespace)\s+([\p{ID_Start}$_][\p{ID_Continue}$]*)/gu;
  for (const match of code.matchAll(pattern)) names.push(match[1]!);
  return names;
}

function reply(code: string, start: number, end: number, items: Array<{ text: string; type: MatchType }>): CompleteReply {
  const cursor_start = codePointIndex(code, start);
  const cursor_end = codePointIndex(code, end);
  return {
    matches: items.map((item) => item.text),
    cursor_start,
    cursor_end,
    metadata: {
      _jupyter_types_experimental: items.map((item) => ({ start: cursor_start, end: cursor_end, text: item.text, type: item.type })),
    },
  };
}

/** The magic being typed at the start of the line, e.g. `%ti` or `%%`. */
function magicCompletions(code: string, cursor: number, lineStart: number, magics: string[]): CompleteReply | undefined {
  const line = code.slice(lineStart, cursor);
  const typed = /^\s*(%%?[\w.-]*)$/.exec(line);
  if (!typed) return undefined;
  const prefix = typed[1]!;
  const spellings = magics.map((magic) => (magic.startsWith("%") ? magic : `%${magic}`));
  const matches = [...new Set(spellings)].filter((magic) => magic.startsWith(prefix)).sort(byName);
  return reply(code, cursor - prefix.length, cursor, matches.map((text) => ({ text, type: "magic" as const })));
}

/** Relative paths: `./li` lists entries of the notebook directory that an import could name. */
function pathCompletions(partial: string, cwd: string): Array<{ text: string; type: MatchType }> {
  const slash = partial.lastIndexOf("/");
  const dirPart = partial.slice(0, slash + 1);
  const base = partial.slice(slash + 1);
  const items: Array<{ text: string; type: MatchType }> = [];
  for (const entry of listDir(resolve(cwd, dirPart || "."))) {
    if (!entry.name.startsWith(base) || (entry.name.startsWith(".") && !base.startsWith("."))) continue;
    if (entry.isDirectory()) items.push({ text: `${dirPart}${entry.name}/`, type: "path" });
    else if (FILE_EXTENSIONS.test(entry.name)) items.push({ text: `${dirPart}${entry.name}`, type: "path" });
  }
  return items.sort((a, b) => byName(a.text, b.text));
}

/** Inside the quotes of `import ... from "`, `import("`, `export ... from "` or `require("`. */
function moduleCompletions(code: string, cursor: number, quoteAt: number, extra: CompleteExtra): CompleteReply | undefined {
  const before = code.slice(0, quoteAt);
  if (!/(?:\bfrom|\bimport|\bimport\s*\(|\brequire\s*\()\s*$/.test(before)) return undefined;
  const partial = code.slice(quoteAt + 1, cursor);
  const start = quoteAt + 1;
  const cwd = extra.cwd ?? process.cwd();
  if (partial.startsWith("./") || partial.startsWith("../") || partial === "." || partial === "..") {
    return reply(code, start, cursor, pathCompletions(partial === "." || partial === ".." ? `${partial}/` : partial, cwd));
  }
  const all = extra.modules ? safeList(extra.modules) : listModules(cwd);
  // With nothing typed yet, offer `node:fs` rather than both `fs` and `node:fs`.
  const bareBuiltins = new Set(builtinModules);
  const matches = [...new Set(all)]
    .filter((name) => name.startsWith(partial) && (partial !== "" || !bareBuiltins.has(name)))
    .sort(byName);
  return reply(code, start, cursor, matches.map((text) => ({ text, type: "module" as const })));
}

function safeList(list: () => string[]): string[] {
  try {
    return list();
  } catch {
    return [];
  }
}

/**
 * Completions at `cursorPos` (a code point offset into `code`) against the live scope (globalThis: notebook
 * declarations are properties of it). Never throws and never calls user code.
 */
export function complete(code: string, cursorPos: number, scope: object, extra: CompleteExtra = {}): CompleteReply {
  const cursor = unitIndex(code, cursorPos);
  try {
    return completeAt(code, cursor, scope, extra);
  } catch {
    return reply(code, cursor, cursor, []);
  }
}

function completeAt(code: string, cursor: number, scope: object, extra: CompleteExtra): CompleteReply {
  const before = code.slice(0, cursor);
  const lineStart = before.lastIndexOf("\n") + 1;

  const magic = magicCompletions(code, cursor, lineStart, extra.magics ?? []);
  if (magic) return magic;

  const place = lexicalPlace(before);
  if (place.kind === "comment") return reply(code, cursor, cursor, []);
  if (place.kind === "string") {
    if (place.quote !== "`") {
      const modules = moduleCompletions(code, cursor, place.start, extra);
      if (modules) return modules;
    }
    return reply(code, cursor, cursor, []);
  }

  const chain = chainAt(before);
  if (!chain) return reply(code, cursor, cursor, []);
  const { path, partial, partialStart } = chain;

  if (path.length > 0) {
    const target = resolvePath(path, scope);
    if (!target.found) return reply(code, partialStart, cursor, []);
    const members = [...membersOf(target.value)]
      .filter(([name]) => name.startsWith(partial))
      .sort(([a, ma], [b, mb]) => ma.rank - mb.rank || byName(a, b));
    return reply(code, partialStart, cursor, members.map(([text, { type }]) => ({ text, type })));
  }

  // A bare name: globals (notebook declarations among them), names declared in this cell, keywords.
  const found = new Map<string, MatchType>();
  for (const [name, { type }] of membersOf(scope)) if (name.startsWith(partial)) found.set(name, type);
  for (const name of declaredIn(code)) if (name.startsWith(partial) && !found.has(name) && name !== partial) found.set(name, "instance");
  for (const keyword of KEYWORDS) if (keyword.startsWith(partial) && !found.has(keyword)) found.set(keyword, "keyword");
  const matches = [...found].sort(([a], [b]) => byName(a, b));
  return reply(code, partialStart, cursor, matches.map(([text, type]) => ({ text, type })));
}
