// The checker process: TypeScript 7's native checker (tsgo, through its API) over the notebook's cell modules,
// answering the kernel over Node's IPC channel. A process of its own (and tsgo one more), so the kernel's
// memory and event loop never carry it.
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";
import { API, CompletionItemKind, SymbolFlags, type Project, type Snapshot } from "typescript7/unstable/sync";
import type { SourceFile } from "typescript7/unstable/ast";
import { NotebookModules, type CellModule } from "./cell-modules.ts";
import { isShown } from "./shown-diagnostics.ts";
import type { Diagnostic, Request, Response, TypedMatch } from "./protocol.ts";

// Below the kernel's priority (tsgo inherits it): on a busy machine the cell being checked, a %timeit above
// all, keeps the CPU it had without a checker.
try {
  setPriority(10);
} catch {
  // Not allowed here: the checker then runs at the kernel's priority.
}

const root = (process.argv[2] ?? process.cwd()).replace(/\\/g, "/").replace(/\/$/, "");
const dir = process.cwd().replace(/\\/g, "/");
const configFile = `${dir}/__looplab_tsconfig.json`;
const globalsFile = `${root}/kernel/typecheck/__looplab_globals.d.ts`;
const draftFile = `${dir}/__looplab_draft.ts`;

/** The kernel's globals (display, clearOutput, input), typed from the kernel's own sources. */
const GLOBALS = `import type { DisplayFunction } from "${root}/kernel/display/display-global.ts";
declare global {
  const display: DisplayFunction;
  function clearOutput(options?: { wait?: boolean }): void;
  const input: ((prompt?: string) => Promise<string>) & { password(prompt?: string): Promise<string> };
}
export {};
`;

function typeRoots(): string[] {
  const roots = [join(dir, "node_modules/@types")];
  try {
    roots.push(dirname(dirname(createRequire(join(root, "package.json")).resolve("@types/node/package.json"))));
  } catch {
    // No @types/node beside the kernel: `node:` imports are then as typed as the notebook folder makes them.
  }
  return roots;
}

const compilerOptions = {
  target: "es2022",
  module: "esnext",
  moduleResolution: "bundler",
  moduleDetection: "force",
  lib: ["esnext"],
  strict: true,
  noEmit: true,
  allowJs: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  types: ["node"],
  typeRoots: typeRoots(),
  paths: { looplab: [join(root, "runtime/index.ts")] },
};

const modules = new NotebookModules(dir);
/** Files that exist only here: the cell modules, the draft being completed, the globals, the project file. */
const virtual = new Map<string, string>([[globalsFile, GLOBALS]]);
const config = () => JSON.stringify({ compilerOptions, files: [...virtual.keys()] });

const api = new API({
  cwd: dir,
  fs: {
    // undefined: not ours, read the disk.
    readFile: (file) => (file === configFile ? config() : virtual.get(file)),
    fileExists: (file) => (file === configFile || virtual.has(file) ? true : undefined),
  },
});
let snapshot: Snapshot | undefined;

/** The project after files were created or changed (the project file changes with the list of files). */
function project(created: string[], changed: string[], deleted: string[] = []): Project {
  const previous = snapshot;
  snapshot = previous
    ? api.updateSnapshot({ fileChanges: { created, changed: [...changed, ...(created.length + deleted.length > 0 ? [configFile] : [])], deleted } })
    : api.updateSnapshot({ openProjects: [configFile] });
  previous?.dispose();
  return snapshot.getProject(configFile) ?? snapshot.getProjects()[0]!;
}

interface Placement {
  file: string;
  id: number;
  source: string;
  /** A cell of the notebook (later ones see its names), not the draft being completed. */
  keep: boolean;
}

/**
 * Makes each source the module its file will be, in order: parsed first as itself (the tail needs the cell's own
 * names), then given its tail. Two snapshots however many cells: a fresh checker replays a notebook at once.
 */
function place(entries: Placement[]): { placed: CellModule[]; project: Project } {
  const created: string[] = [];
  const changed: string[] = [];
  for (const { file, source } of entries) {
    (virtual.has(file) ? changed : created).push(file);
    virtual.set(file, NotebookModules.provisional(source));
  }
  const parsedIn = project(created, changed).program;
  const placed = entries.map(({ file, id, source, keep }) => {
    const module = { ...modules.build(id, source, parsedIn.getSourceFile(file) as SourceFile, !keep), fileName: file };
    if (keep) modules.add(module);
    virtual.set(file, module.text);
    return module;
  });
  return { placed, project: project([], entries.map((e) => e.file)) };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start };
}

function check(id: number, source: string): { diagnostics: Diagnostic[]; plainJs: boolean } {
  const { placed: [module], project: checked } = place([{ file: modules.fileNameOf(id), id, source, keep: true }]);
  const program = checked.program;
  const found = [...program.getSyntacticDiagnostics(module!.fileName), ...program.getSemanticDiagnostics(module!.fileName)];
  const file = program.getSourceFile(module!.fileName) as SourceFile;
  const diagnostics: Diagnostic[] = [];
  for (const d of found) {
    if (d.pos >= module!.sourceLength || !isShown(d.code, d.pos, module!.plainJs, file)) continue;
    // "Did you forget to use 'await'?" and such hints travel as related information: they belong to the message.
    const hints = (d.relatedInformation ?? []).filter((r) => r.fileName === undefined || r.fileName === module!.fileName).map((r) => r.text);
    const chain = (d.messageChain ?? []).map((m) => m.text);
    diagnostics.push({ code: d.code, message: [d.text, ...chain, ...hints].join(" "), ...lineColumn(source, d.pos) });
  }
  return { diagnostics, plainJs: module!.plainJs };
}

function drop(id: number): void {
  const file = modules.fileNameOf(id);
  modules.drop(id);
  if (virtual.delete(file)) project([], [], [file]);
}

const MATCH_TYPES: Partial<Record<number, string>> = {
  [CompletionItemKind.Method]: "function",
  [CompletionItemKind.Function]: "function",
  [CompletionItemKind.Constructor]: "function",
  [CompletionItemKind.Class]: "class",
  [CompletionItemKind.Interface]: "class",
  [CompletionItemKind.Enum]: "class",
  [CompletionItemKind.Struct]: "class",
  [CompletionItemKind.TypeParameter]: "class",
  [CompletionItemKind.Module]: "module",
  [CompletionItemKind.Keyword]: "keyword",
  [CompletionItemKind.Property]: "property",
  [CompletionItemKind.Field]: "property",
  [CompletionItemKind.EnumMember]: "property",
};

/** Signatures are looked up for at most this many function matches: each is a request to the checker. */
const SIGNATURES = 40;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

function complete(source: string, offset: number): { start: number; matches: TypedMatch[] } {
  const { project: drafted } = place([{ file: draftFile, id: -1, source, keep: false }]);
  let start = offset;
  while (start > 0 && /[\p{ID_Continue}$]/u.test(source[start - 1]!)) start--;
  const partial = source.slice(start, offset);
  const checker = drafted.checker;
  let info: ReturnType<typeof checker.getCompletionsAtPosition>;
  try {
    info = checker.getCompletionsAtPosition(draftFile, offset, { includeSymbol: true });
  } catch (error) {
    // TypeScript 7's API cannot list a bare identifier's completions where auto-imports would be offered (it
    // throws "completion list needs auto imports"); the kernel's live completion answers those (globals, the
    // notebook's names), so this is no answer rather than a failure.
    if (/needs auto imports/.test(String((error as Error)?.message ?? error))) return { start, matches: [] };
    throw error;
  }
  if (!info) return { start, matches: [] };
  const sortKey = (e: { sortText?: string; name: string }) => `${e.sortText ?? ""}\u0000${e.name}`;
  const entries = info.entries.filter((e) => IDENTIFIER.test(e.name) && e.name.startsWith(partial)).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  let signatures = 0;
  const matches = entries.map((entry): TypedMatch => {
    const type = MATCH_TYPES[entry.kind ?? 0] ?? "instance";
    if (type !== "function" || !entry.symbol || signatures >= SIGNATURES) return { text: entry.name, type };
    signatures++;
    const symbolType = checker.getTypeOfSymbol(entry.symbol);
    const typeText = symbolType ? checker.typeToString(symbolType) : undefined;
    return { text: entry.name, type, signature: typeText ? (callSignature(entry.name, typeText) ?? `${entry.name}: ${typeText}`) : undefined };
  });
  return { start, matches };
}

/** `text` split on `separator` where it is outside parentheses, brackets, braces and type arguments. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ("([{<".includes(c)) depth++;
    else if (")]}".includes(c) || (c === ">" && text[i - 1] !== "=")) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(from, i));
      from = i + separator.length;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** The index of the `)` that closes the `(` at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/**
 * `name(a: string, b?: number): R` from the checker's `(a: string, b?: number) => R`, the way TypeScript's
 * hover writes a function; overloads (`{ (a: A): R; (b: B): S; }`) as the first one and a count.
 */
function callSignature(name: string, typeText: string): string | undefined {
  const overloaded = typeText.startsWith("{ ") && typeText.endsWith("; }");
  const parts = overloaded ? splitTop(typeText.slice(2, -3), "; ") : [typeText];
  const separator = overloaded ? ": " : " => ";
  const first = parts[0]!;
  const open = first.indexOf("(");
  if (open === -1 || (open > 0 && !first.startsWith("<"))) return undefined;
  const close = closing(first, open);
  if (close === -1 || !first.startsWith(separator, close + 1)) return undefined;
  const more = parts.length - 1;
  const overloads = more > 0 ? ` (+${more} overload${more > 1 ? "s" : ""})` : "";
  return `${name}${first.slice(0, close + 1)}: ${first.slice(close + 1 + separator.length)}${overloads}`;
}

/** `const`, `function`, `(method) Point.norm`, ...: how TypeScript's own hover names a symbol. */
function describe(name: string, flags: number, parent: string | undefined): string {
  const member = parent ? `${parent}.${name}` : name;
  if (flags & SymbolFlags.Method) return `(method) ${member}`;
  if (flags & SymbolFlags.Property) return `(property) ${member}`;
  if (flags & SymbolFlags.Function) return `function ${name}`;
  if (flags & SymbolFlags.Class) return `class ${name}`;
  if (flags & SymbolFlags.Interface) return `interface ${name}`;
  if (flags & SymbolFlags.TypeAlias) return `type ${name}`;
  if (flags & SymbolFlags.Enum) return `enum ${name}`;
  if (flags & SymbolFlags.Module) return `namespace ${name}`;
  if (flags & SymbolFlags.BlockScopedVariable) return `let/const ${name}`;
  return name;
}

function inspect(source: string, offset: number): { found: boolean; signature: string; documentation: string } {
  const { project: drafted } = place([{ file: draftFile, id: -1, source, keep: false }]);
  const checker = drafted.checker;
  // The name under the cursor, or the callee of the call the cursor is in (`sleep(|`).
  const candidates = [offset, offset - 1];
  for (let depth = 0, i = offset - 1; i >= 0; i--) {
    const c = source[i];
    if (c === ")") depth++;
    else if (c === "(" && depth-- === 0) {
      candidates.push(i - 1);
      break;
    }
  }
  for (const at of candidates) {
    if (at < 0 || !/[\p{ID_Continue}$]/u.test(source[at] ?? "")) continue;
    let symbol = checker.getSymbolAtPosition(draftFile, at);
    if (!symbol) continue;
    // Names from earlier cells reach a cell as imports: show what the import stands for.
    if (symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const type = checker.getTypeOfSymbol(symbol);
    const parent = symbol.getParent()?.name;
    const label = describe(symbol.name, symbol.flags, parent && !parent.startsWith('"') ? parent : undefined);
    const typeText = type ? checker.typeToString(type) : "";
    const isType = (symbol.flags & (SymbolFlags.Interface | SymbolFlags.TypeAlias)) !== 0;
    const documentation = [checker.getDocumentationCommentOfSymbol(symbol), ...checker.getJsDocTagsOfSymbol(symbol).map((t) => `@${t.name} ${t.text ?? ""}`.trim())].filter(Boolean).join("\n");
    const callable = (symbol.flags & (SymbolFlags.Function | SymbolFlags.Method)) !== 0 ? callSignature(label, typeText) : undefined;
    return { found: true, signature: isType || !typeText ? label : (callable ?? `${label}: ${typeText}`), documentation };
  }
  return { found: false, signature: "", documentation: "" };
}

function answer(response: Response): void {
  process.send?.(response);
}

process.on("message", (request: Request) => {
  const seq = "seq" in request ? request.seq : -1;
  try {
    switch (request.kind) {
      case "add":
        place(request.cells.map(({ id, source }) => ({ file: modules.fileNameOf(id), id, source, keep: true })));
        return;
      case "drop":
        drop(request.id);
        return;
      case "check": {
        const started = performance.now();
        const result = check(request.cell.id, request.cell.source);
        answer({ kind: "check", seq, ...result, ms: performance.now() - started });
        return;
      }
      case "complete":
        answer({ kind: "complete", seq, ...complete(request.source, request.offset) });
        return;
      case "inspect":
        answer({ kind: "inspect", seq, ...inspect(request.source, request.offset) });
        return;
    }
  } catch (error) {
    answer({ kind: "failed", seq, message: String((error as Error)?.stack ?? error) });
  }
});
// The kernel going away closes the channel: tsgo goes with us.
process.on("disconnect", () => {
  api.close();
  process.exit(0);
});
answer({ kind: "ready" });
