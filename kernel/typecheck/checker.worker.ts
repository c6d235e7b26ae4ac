// The checker process: a TypeScript language service over the notebook's cell modules, answering the kernel
// over Node's IPC channel. A process of its own, so the kernel's memory and event loop never carry it.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import { NotebookModules, type CellModule } from "./cell-modules.ts";
import { isShown } from "./shown-diagnostics.ts";
import type { Diagnostic, Request, Response, TypedMatch } from "./protocol.ts";

const root = (process.argv[2] ?? process.cwd()).replace(/\\/g, "/").replace(/\/$/, "");
const dir = process.cwd().replace(/\\/g, "/");
const globalsFile = `${root}/kernel/typecheck/__looplab_globals.d.ts`.replace(/\\/g, "/");
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

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.esnext.d.ts"],
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
/** Virtual files: the cell modules, the draft being completed, the globals. Versions tell the service what changed. */
const virtual = new Map<string, { text: string; version: number }>([[globalsFile, { text: GLOBALS, version: 1 }]]);
const diskSnapshots = new Map<string, ts.IScriptSnapshot | undefined>();

const host: ts.LanguageServiceHost = {
  getCompilationSettings: () => options,
  getScriptFileNames: () => [globalsFile, ...modules.cells.map((cell) => cell.fileName), ...(virtual.has(draftFile) ? [draftFile] : [])],
  getScriptVersion: (file) => String(virtual.get(file)?.version ?? 0),
  getScriptSnapshot: (file) => {
    const entry = virtual.get(file);
    if (entry) return ts.ScriptSnapshot.fromString(entry.text);
    if (!diskSnapshots.has(file)) {
      const text = ts.sys.readFile(file);
      diskSnapshots.set(file, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
    }
    return diskSnapshots.get(file);
  },
  getCurrentDirectory: () => dir,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: (file) => virtual.has(file) || ts.sys.fileExists(file),
  readFile: (file) => virtual.get(file)?.text ?? ts.sys.readFile(file),
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
  realpath: ts.sys.realpath,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

let version = 1;
function setFile(module: CellModule): void {
  virtual.set(module.fileName, { text: module.text, version: ++version });
}

function add(module: CellModule): void {
  setFile(module);
  modules.add(module);
}

function drop(id: number): void {
  const cell = modules.cells.find((c) => c.id === id);
  if (!cell) return;
  modules.drop(id);
  virtual.delete(cell.fileName);
}

function check(id: number, source: string): { diagnostics: Diagnostic[]; plainJs: boolean } {
  const module = modules.build(id, source);
  add(module);
  const found = [...service.getSyntacticDiagnostics(module.fileName), ...service.getSemanticDiagnostics(module.fileName)];
  const file = service.getProgram()?.getSourceFile(module.fileName);
  const diagnostics: Diagnostic[] = [];
  for (const d of found) {
    if (d.start === undefined || d.start >= module.sourceLength || !file) continue;
    if (!isShown(d, module.plainJs)) continue;
    const { line, character } = file.getLineAndCharacterOfPosition(d.start);
    // "Did you forget to use 'await'?" and such hints travel as related information: they belong to the message.
    const hints = (d.relatedInformation ?? []).filter((r) => r.file === undefined || r.file.fileName === module.fileName).map((r) => ts.flattenDiagnosticMessageText(r.messageText, " "));
    const message = [ts.flattenDiagnosticMessageText(d.messageText, " "), ...hints].join(" ");
    diagnostics.push({ code: d.code, message, line: line + 1, column: character });
  }
  return { diagnostics, plainJs: module.plainJs };
}

/** The text being typed as a module after every cell so far (not added to the notebook). */
function draft(source: string): void {
  virtual.set(draftFile, { text: modules.build(-1, source).text, version: ++version });
}

const MATCH_TYPES: Record<string, string> = {
  [ts.ScriptElementKind.functionElement]: "function",
  [ts.ScriptElementKind.localFunctionElement]: "function",
  [ts.ScriptElementKind.memberFunctionElement]: "function",
  [ts.ScriptElementKind.constructorImplementationElement]: "function",
  [ts.ScriptElementKind.classElement]: "class",
  [ts.ScriptElementKind.localClassElement]: "class",
  [ts.ScriptElementKind.interfaceElement]: "class",
  [ts.ScriptElementKind.typeElement]: "class",
  [ts.ScriptElementKind.enumElement]: "class",
  [ts.ScriptElementKind.moduleElement]: "module",
  [ts.ScriptElementKind.externalModuleName]: "module",
  [ts.ScriptElementKind.keyword]: "keyword",
  [ts.ScriptElementKind.memberVariableElement]: "property",
  [ts.ScriptElementKind.memberGetAccessorElement]: "property",
  [ts.ScriptElementKind.memberSetAccessorElement]: "property",
  [ts.ScriptElementKind.enumMemberElement]: "property",
};

/** Signatures are looked up for at most this many function matches: each costs a details request. */
const SIGNATURES = 40;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

function complete(source: string, offset: number): { start: number; matches: TypedMatch[] } {
  draft(source);
  let start = offset;
  while (start > 0 && /[\p{ID_Continue}$]/u.test(source[start - 1]!)) start--;
  const partial = source.slice(start, offset);
  const info = service.getCompletionsAtPosition(draftFile, offset, { includeCompletionsWithInsertText: false });
  if (!info) return { start, matches: [] };
  const entries = info.entries
    .filter((e) => e.kind !== ts.ScriptElementKind.warning && IDENTIFIER.test(e.name) && e.name.startsWith(partial))
    .sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let signatures = 0;
  const matches = entries.map((entry): TypedMatch => {
    const type = MATCH_TYPES[entry.kind] ?? "instance";
    if (type !== "function" || signatures >= SIGNATURES) return { text: entry.name, type };
    signatures++;
    const details = service.getCompletionEntryDetails(draftFile, offset, entry.name, undefined, entry.source, undefined, entry.data);
    return { text: entry.name, type, signature: details ? ts.displayPartsToString(details.displayParts) : undefined };
  });
  return { start, matches };
}

function inspect(source: string, offset: number): { found: boolean; signature: string; documentation: string } {
  draft(source);
  const documented = (parts: ts.SymbolDisplayPart[] | undefined, tags: ts.JSDocTagInfo[] | undefined) =>
    [ts.displayPartsToString(parts), ...(tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`.trim())].filter(Boolean).join("\n");
  for (const at of [offset, offset - 1]) {
    const info = at >= 0 ? service.getQuickInfoAtPosition(draftFile, at) : undefined;
    if (info && info.kind !== ts.ScriptElementKind.keyword) {
      return { found: true, signature: unaliased(ts.displayPartsToString(info.displayParts)), documentation: documented(info.documentation, info.tags) };
    }
  }
  const help = service.getSignatureHelpItems(draftFile, offset, undefined);
  const item = help?.items[help.selectedItemIndex];
  if (!item) return { found: false, signature: "", documentation: "" };
  const signature = [...item.prefixDisplayParts, ...item.parameters.flatMap((p, i) => [...(i > 0 ? item.separatorDisplayParts : []), ...p.displayParts]), ...item.suffixDisplayParts];
  return { found: true, signature: ts.displayPartsToString(signature), documentation: documented(item.documentation, item.tags) };
}

/** Names from earlier cells reach a cell as imports: `(alias) ... \nimport x` is our plumbing, not the user's. */
function unaliased(text: string): string {
  return text.replace(/^\(alias\) /, "").replace(/\nimport [^\n]*$/, "");
}

function answer(response: Response): void {
  process.send?.(response);
}

process.on("message", (request: Request) => {
  const seq = "seq" in request ? request.seq : -1;
  try {
    switch (request.kind) {
      case "add":
        add(modules.build(request.cell.id, request.cell.source));
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
// The kernel going away closes the channel: nothing is left to check for.
process.on("disconnect", () => process.exit(0));
answer({ kind: "ready" });
