// The top-level rewrite, done the way Node's REPL does it: declarations become assignments to script-level
// `var`s (global properties, so they persist and re-running `const x = 1` is legal), imports become awaited
// calls to the kernel's importer, the last expression statement is returned, and the body runs inside an
// async arrow so `await` works anywhere. Everything stays on its line so positions map back simply.
import { Parser, type Node, type Options, type Pattern, type Program, type Statement, type ModuleDeclaration, type VariableDeclaration, type ImportDeclaration, type ForStatement, type ForInStatement } from "acorn";
import * as walk from "acorn-walk";
import { applyEdits, close, Layer, open, replace, wrap, type Edit } from "./edits.ts";
import type { EditMap } from "./positions.ts";
import { tracedCallEdits } from "./trace-calls.ts";

/**
 * How cell JavaScript is parsed: a script (sloppy, like the REPL) in which `await` works at the top level and
 * import/export parse anywhere, so the rewrite can turn them into code (and reject the misplaced ones itself).
 * `return` at the top level stays an error.
 */
const PARSE_OPTIONS: Options = {
  ecmaVersion: "latest",
  sourceType: "script",
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowHashBang: true,
};

/** A syntax error found while parsing or rewriting; offset is in the code that was given. */
export class RewriteError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses cell code; with `topLevelAwait` false, as a plain script would be read, where `await` is a name
 * (`var await = 1`) and so the cell cannot run in an async function.
 */
export function parseProgram(code: string, topLevelAwait = true): Program {
  try {
    return Parser.parse(code, topLevelAwait ? PARSE_OPTIONS : { ...PARSE_OPTIONS, allowAwaitOutsideFunction: false });
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (error instanceof SyntaxError && typeof pos === "number") {
      // acorn appends " (line:column)"; the caller reports the position itself, in cell terms.
      throw new RewriteError(error.message.replace(/ \(\d+:\d+\)$/, ""), pos);
    }
    throw error;
  }
}

export interface RewriteOptions {
  /** The function imports call: `import x from "m"` becomes `x = (await importName("m")).default`. */
  importName: string;
  /**
   * Whether a declared name is the user's. esbuild's helpers and temporaries (`__using`, `_stack`) answer
   * false: they stay local to the cell instead of becoming globals.
   */
  isUserName(name: string): boolean;
  /** Evaluated first in every loop body (see CompileOptions.loopCheck); empty for none. */
  loopCheck?: string;
  /** A function every `await` in the cell hands its result through (see CompileOptions.resumeCheck). */
  resumeCheck?: string;
  /** The global that async functions run their bodies through (see CompileOptions.traceCalls). */
  traceCalls?: string;
  /** The cell uses `await` as a name (parsed with topLevelAwait false): its body runs in a plain arrow. */
  awaitIsName?: boolean;
}

export interface Rewritten {
  script: string;
  declared: string[];
  hasResult: boolean;
  /** Maps offsets in the script back to the code that was rewritten. */
  map: EditMap;
}

/** Where a declaration sits decides what may precede the assignment it becomes. */
type DeclarationSite =
  | "list" // in a statement list: may need `;` against ASI hazards
  | "single" // the whole body of an if/while/label: must stay one statement
  | "for-init" // `for (var i = 0; ...)`
  | "for-left"; // `for (var x of xs)`

/** Expressions that a property definition would name after the property (named evaluation). */
const ANONYMOUS = new Set(["FunctionExpression", "ArrowFunctionExpression", "ClassExpression"]);

/** `export default` with whatever comments sit between and after the two words. */
const EXPORT_DEFAULT = /^export(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*default/;

const TOP_LEVEL_ONLY = "'import' and 'export' may only appear at the top level";

export function rewriteProgram(program: Program, code: string, options: RewriteOptions): Rewritten {
  const { importName, isUserName } = options;
  const edits: Edit[] = [];
  const hoisted = new Set<string>();
  const declared = new Set<string>();
  const functionNames = new Set<string>();
  const topLevel = new Set<Node>();
  const inList = new Set<Node>();
  const inForHead = new Set<Node>();
  let functionDepth = 0;

  const slice = (node: Node) => code.slice(node.start, node.end);
  const declare = (name: string) => {
    hoisted.add(name);
    if (isUserName(name)) declared.add(name);
  };
  const newlinesIn = (node: Node) => {
    let count = 0;
    for (let at = code.indexOf("\n", node.start); at !== -1 && at < node.end; at = code.indexOf("\n", at + 1)) count++;
    return "\n".repeat(count);
  };

  function rewriteDeclaration(declaration: VariableDeclaration, site: DeclarationSite): void {
    const names = declaration.declarations.flatMap((declarator) => bindingNames(declarator.id));
    // Compiler temporaries stay ordinary local declarations.
    if (!names.some(isUserName)) return;
    names.forEach(declare);
    const first = declaration.declarations[0]!;
    if (site === "for-left") {
      edits.push(replace(declaration.start, first.start, ""));
      return;
    }
    // A statement cannot start with `{`, and a line starting with `[` would continue the previous one.
    let prefix = "";
    if (first.init && first.id.type === "ObjectPattern") prefix = site === "list" ? ";(" : site === "single" ? "(" : "";
    else if (first.init && first.id.type === "ArrayPattern" && site === "list") prefix = ";";
    edits.push(replace(declaration.start, first.start, prefix));
    for (const declarator of declaration.declarations) {
      if (declarator.init) continue;
      // `var x;` must not reset a value an earlier cell gave x; `let x;` does reset it.
      if (declaration.kind === "var") edits.push(replace(declarator.start, declarator.end, "void 0"));
      else edits.push(close(declarator, declarator.end, " = undefined", Layer.statement, MAPPED));
    }
    const last = declaration.declarations[declaration.declarations.length - 1]!;
    if (prefix.endsWith("(")) edits.push(close({ start: declaration.start, end: last.end }, last.end, ")", Layer.statement, MAPPED));
    // The declaration ended where ASI put a semicolon; the assignment might run on into the next line.
    if (site === "list" && code[declaration.end - 1] !== ";") edits.push(close(declaration, declaration.end, ";", Layer.statement, MAPPED));
  }

  function rewriteImport(node: ImportDeclaration): void {
    if (options.awaitIsName) throw new RewriteError("a cell that uses 'await' as a name cannot import with 'import' declarations", node.start);
    const attributes = node.attributes?.length
      ? `, { with: { ${node.attributes.map((attribute) => `${slice(attribute.key)}: ${slice(attribute.value)}`).join(", ")} } }`
      : "";
    const call = `await ${importName}(${slice(node.source)}${attributes})`;
    let text: string;
    const namespace = node.specifiers.find((s) => s.type === "ImportNamespaceSpecifier");
    const fallback = node.specifiers.find((s) => s.type === "ImportDefaultSpecifier");
    if (node.specifiers.length === 0) {
      text = `;${call};`;
    } else if (namespace) {
      text = `;${namespace.local.name} = ${call};`;
      if (fallback) text += ` ${fallback.local.name} = ${namespace.local.name}.default;`;
    } else {
      const parts: string[] = [];
      for (const specifier of node.specifiers) {
        if (specifier.type === "ImportDefaultSpecifier") parts.push(`default: ${specifier.local.name}`);
        else if (specifier.type === "ImportSpecifier") {
          const imported = slice(specifier.imported);
          parts.push(imported === specifier.local.name ? imported : `${imported}: ${specifier.local.name}`);
        }
      }
      text = `;({ ${parts.join(", ")} } = ${call});`;
    }
    for (const specifier of node.specifiers) declare(specifier.local.name);
    edits.push(replace(node.start, node.end, text + newlinesIn(node)));
  }

  const enterFunction = (inner: () => void) => {
    functionDepth++;
    try {
      inner();
    } finally {
      functionDepth--;
    }
  };
  const misplaced = (node: Node) => {
    throw new RewriteError(TOP_LEVEL_ONLY, node.start);
  };
  const checkLoop = (body: Statement) => {
    if (options.loopCheck) edits.push(...loopCheckEdits(body, options.loopCheck));
  };
  /** A top-level `for (var x ...)` declares a notebook variable like any other `var` outside functions. */
  const forHead = (head: ForStatement["init"] | ForInStatement["left"], site: "for-init" | "for-left") => {
    if (functionDepth > 0 || head?.type !== "VariableDeclaration" || head.kind !== "var") return;
    inForHead.add(head);
    rewriteDeclaration(head, site);
  };
  const markList = (statements: Array<Statement | ModuleDeclaration>) => {
    for (const statement of statements) if (statement.type === "VariableDeclaration") inList.add(statement);
  };

  const awaits: Node[] = [];
  const visitors: walk.RecursiveVisitors<null> = {
    AwaitExpression(node, state, c) {
      if (options.resumeCheck) awaits.push(node);
      walk.base.AwaitExpression!(node, state, c);
    },
    Function: (node, state, c) => {
      if (options.loopCheck) edits.push(...functionCheckEdits(node, options.loopCheck, code));
      enterFunction(() => walk.base.Function!(node, state, c));
    },
    StaticBlock: (node, state, c) => enterFunction(() => walk.base.StaticBlock!(node, state, c)),
    BlockStatement(node, state, c) {
      markList(node.body);
      if (functionDepth === 0) {
        // A function declared in a top-level block (`if (x) { function f() {} }`) is hoisted to the block's
        // start; copy it onto the global there, as Node's REPL does.
        const names = node.body.flatMap((s) => (s.type === "FunctionDeclaration" && isUserName(s.id.name) ? [s.id.name] : []));
        for (const name of names) declare(name);
        if (names.length > 0) edits.push(open(node, node.start + 1, names.map((n) => ` this.${n} = ${n};`).join(""), Layer.scope));
      }
      walk.base.BlockStatement!(node, state, c);
    },
    SwitchCase(node, state, c) {
      markList(node.consequent);
      walk.base.SwitchCase!(node, state, c);
    },
    ForStatement(node, state, c) {
      forHead(node.init, "for-init");
      checkLoop(node.body);
      walk.base.ForStatement!(node, state, c);
    },
    ForInStatement(node, state, c) {
      forHead(node.left, "for-left");
      checkLoop(node.body);
      walk.base.ForInStatement!(node, state, c);
    },
    ForOfStatement(node, state, c) {
      forHead(node.left, "for-left");
      checkLoop(node.body);
      walk.base.ForOfStatement!(node, state, c);
    },
    WhileStatement(node, state, c) {
      checkLoop(node.body);
      walk.base.WhileStatement!(node, state, c);
    },
    DoWhileStatement(node, state, c) {
      checkLoop(node.body);
      walk.base.DoWhileStatement!(node, state, c);
    },
    VariableDeclaration(node, state, c) {
      // `var` anywhere outside functions belongs to the notebook; let/const only at the top level.
      if (functionDepth === 0 && !inForHead.has(node) && (node.kind === "var" || topLevel.has(node))) {
        rewriteDeclaration(node, inList.has(node) ? "list" : "single");
      }
      walk.base.VariableDeclaration!(node, state, c);
    },
    ImportExpression(node, state, c) {
      // `import("x")` goes through the kernel's importer so it resolves like static imports in cells do.
      edits.push(replace(node.start, node.start + "import".length, importName));
      walk.base.ImportExpression!(node, state, c);
    },
    MetaProperty(node) {
      // A script has no import.meta; the importer carries one for the cell.
      if (node.meta.name === "import") edits.push(replace(node.start, node.end, `${importName}.meta`));
    },
    ImportDeclaration: misplaced,
    ExportNamedDeclaration: misplaced,
    ExportDefaultDeclaration: misplaced,
    ExportAllDeclaration: misplaced,
  };

  const blank = (node: Node) => edits.push(replace(node.start, node.end, ";" + newlinesIn(node)));

  function topLevelStatement(node: Statement | ModuleDeclaration): void {
    switch (node.type) {
      case "ImportDeclaration":
        rewriteImport(node);
        return;
      case "ExportNamedDeclaration":
        // `export` means nothing in a cell: keep the declaration, drop re-exports.
        if (node.declaration) {
          edits.push(replace(node.start, node.declaration.start, ""));
          topLevelStatement(node.declaration);
        } else blank(node);
        return;
      case "ExportAllDeclaration":
        blank(node);
        return;
      case "ExportDefaultDeclaration": {
        const declaration = node.declaration;
        if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) {
          edits.push(replace(node.start, declaration.start, ""));
          topLevelStatement(declaration);
        } else {
          // Only the keywords go: parentheses around the expression (`export default (1 + 2);`) stay in the source.
          const keywords = EXPORT_DEFAULT.exec(code.slice(node.start, declaration.start))![0];
          const end = code[node.end - 1] === ";" ? node.end - 1 : node.end;
          edits.push(replace(node.start, node.start + keywords.length, ";("));
          edits.push(close({ start: node.start, end }, end, ")", Layer.statement, MAPPED));
          walk.recursive(declaration, null, visitors);
        }
        return;
      }
      case "VariableDeclaration":
        topLevel.add(node);
        inList.add(node);
        break;
      case "FunctionDeclaration":
        // The declaration stays (it is hoisted inside the arrow, callable before its line); the arrow's first
        // line copies it onto the global, where later cells find it. In the arrow, `this` is the global object.
        if (isUserName(node.id.name)) {
          declare(node.id.name);
          functionNames.add(node.id.name);
        }
        break;
      case "ClassDeclaration":
        if (node.id && isUserName(node.id.name)) {
          declare(node.id.name);
          edits.push(...wrap(node, `${node.id.name} = `, ";", Layer.statement, MAPPED));
        }
        break;
    }
    walk.recursive(node, null, visitors);
  }

  for (const statement of program.body) topLevelStatement(statement);

  // The value of the last expression statement is the cell's result.
  let last = lastStatement(program.body);
  if (last?.type === "TryStatement" && last.finalizer && !isUserName("__callDispose") && slice(last.finalizer).includes("__callDispose")) {
    // esbuild lowered `using`: the cell's statements sit in this try block, disposal in its finally.
    last = lastStatement(last.block.body);
  }
  let hasResult = false;
  if (last?.type === "ExpressionStatement") {
    // The statement's own range, which includes parentheses around the expression (`({ a: 1 })`), minus its `;`.
    const end = code[last.end - 1] === ";" ? last.end - 1 : last.end;
    // A property's value gives an anonymous function or class the property's name: `(0, …)` keeps it
    // anonymous. Only then, since V8 words some errors after the expression's shape.
    const anonymous = ANONYMOUS.has(last.expression.type) && !(last.expression as { id?: unknown }).id;
    edits.push(...wrap({ start: last.start, end }, anonymous ? "return { value: (0, " : "return { value: (", ") }", Layer.statement, MAPPED));
    hasResult = true;
  }

  // `await x` -> `check(await x)`, inside any other wrapper text at the same offset (the result's `return {`,
  // a loop check's braces). Code that an edit replaces whole (re-exports) holds no awaits that still run.
  const replaced = edits.filter((edit) => edit.kind === "replace" && edit.end > edit.start) as Array<Edit & { kind: "replace" }>;
  for (const node of awaits) {
    if (replaced.some((edit) => edit.start < node.end && node.start < edit.end)) continue;
    edits.push(...wrap(node, `${options.resumeCheck}(`, ")", Layer.expression));
  }

  // A `-->` that starts the first line is a comment only while nothing precedes it on its line.
  const firstLine = code.slice(0, code.indexOf("\n") >>> 0);
  const head = (hoisted.size > 0 ? `var ${[...hoisted].join(", ")}; ` : "") + (options.awaitIsName ? "(() => {" : "(async () => {") + (firstLine.includes("-->") ? "\n" : "");
  const whole = { start: 0, end: code.length };
  const scope: Edit[] = [open(whole, 0, head, Layer.scope)];
  // A script may start with `#!`; inside the wrapper it is a line comment.
  if (code.startsWith("#!")) scope.push(replace(0, 2, "//"));
  if (functionNames.size > 0) {
    // After any "use strict" prologue, which must stay the body's first statements to count.
    let at = 0;
    for (const statement of program.body) {
      if (statement.type !== "ExpressionStatement" || !("directive" in statement) || statement === last) break;
      at = statement.end;
    }
    const copies = [...functionNames].map((name) => `this.${name} = ${name}; `).join("");
    scope.push(open(whole, at, at === 0 ? copies : `${afterDirective(code, at)}${copies}`, Layer.scope));
  }
  // The closing line is new, so a `//` comment on the cell's last line cannot swallow it.
  scope.push(close(whole, code.length, "\n})()", Layer.scope));
  if (options.traceCalls) edits.push(...tracedCallEdits(program, code, options.traceCalls));
  const { code: script, map } = applyEdits(code, [...scope, ...edits]);
  return { script, declared: [...declared], hasResult, map };
}

/** Inserted text marked as standing for the source at its offset (errors in it point there). */
const MAPPED = { unmapped: false } as const;

/** What separates code put after a directive from it: `"use strict" x()` on one line would not parse. */
function afterDirective(code: string, end: number): string {
  return code[end - 1] === ";" ? " " : "; ";
}

/**
 * The edits that put `check` first in a loop's body, on the body's own line so positions keep mapping: after
 * a block's `{`, or in a block made around a single-statement body. Cells get them from rewriteProgram, the
 * user's own modules from the kernel's loader hooks (exec/loop-check.ts).
 */
export function loopCheckEdits(body: Node, check: string): Edit[] {
  if (body.type === "BlockStatement") return [open(body, body.start + 1, ` ${check};`, Layer.check)];
  return wrap(body, `{ ${check}; `, " }", Layer.check);
}

/**
 * The edits that put `check` first in a function's body, so recursion (which has no loop) can be interrupted
 * too: after a block's `{` and its directives ("use strict" must stay first), or as a comma expression around an
 * arrow's expression body.
 */
export function functionCheckEdits(fn: Node, check: string, code: string): Edit[] {
  const body = (fn as unknown as { body: Node & { body?: Node[] } }).body;
  if (body.type !== "BlockStatement") return wrap(body, `(${check}, `, ")", Layer.check);
  let at = body.start + 1;
  let text = ` ${check};`;
  for (const statement of body.body ?? []) {
    if (!(statement as { directive?: string }).directive) break;
    at = statement.end;
    text = `${afterDirective(code, at)}${check};`;
  }
  return [open(body, at, text, Layer.check)];
}

function lastStatement(statements: Array<Statement | ModuleDeclaration>): Statement | ModuleDeclaration | undefined {
  for (let i = statements.length - 1; i >= 0; i--) if (statements[i]!.type !== "EmptyStatement") return statements[i];
  return undefined;
}

/** The names a binding pattern declares. */
export function bindingNames(pattern: Pattern, into: string[] = []): string[] {
  switch (pattern.type) {
    case "Identifier":
      into.push(pattern.name);
      break;
    case "ObjectPattern":
      for (const property of pattern.properties) bindingNames(property.type === "RestElement" ? property.argument : property.value, into);
      break;
    case "ArrayPattern":
      for (const element of pattern.elements) if (element) bindingNames(element, into);
      break;
    case "AssignmentPattern":
      bindingNames(pattern.left, into);
      break;
    case "RestElement":
      bindingNames(pattern.argument, into);
      break;
    default:
      break;
  }
  return into;
}
