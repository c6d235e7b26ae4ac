// Every cell as a virtual TypeScript module: its own source, then a tail importing what earlier cells declared.
//
// The kernel runs cells in one scope where a later declaration replaces an earlier one. Checking them as one
// concatenated file would make re-declarations errors and would retype old code by new declarations; as one
// module per cell, each name is imported from the latest cell that declared it, and an earlier cell keeps the
// types it was checked with. The tail sits after the source, so the cell's own lines and columns stay as typed.
import ts from "typescript";

export interface CellModule {
  readonly id: number;
  readonly fileName: string;
  readonly text: string;
  /** Length of the user's source at the start of `text`: diagnostics beyond it belong to the tail. */
  readonly sourceLength: number;
  readonly declared: readonly string[];
  readonly plainJs: boolean;
}

/** The top-level names a cell declares, values and types alike, and the ones it already exports itself. */
export function declaredNames(file: ts.SourceFile): { names: string[]; exported: Set<string> } {
  const names: string[] = [];
  const exported = new Set<string>();
  const add = (name: string, isExported: boolean) => {
    names.push(name);
    if (isExported) exported.add(name);
  };
  const bindings = (name: ts.BindingName, isExported: boolean): void => {
    if (ts.isIdentifier(name)) add(name.text, isExported);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindings(element.name, isExported);
  };
  for (const statement of file.statements) {
    const isExported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bindings(declaration.name, isExported);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement)) &&
      statement.name && ts.isIdentifier(statement.name)
    ) {
      add(statement.name.text, isExported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, false);
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) add(named.name.text, false);
      else if (named) for (const element of named.elements) add(element.name.text, false);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, isExported);
    }
  }
  return { names: [...new Set(names)], exported };
}

const TYPE_ONLY_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.InterfaceDeclaration, ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration, ts.SyntaxKind.ImportEqualsDeclaration, ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression, ts.SyntaxKind.NonNullExpression, ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword,
  ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.OverrideKeyword, ts.SyntaxKind.ImplementsKeyword,
]);

/**
 * A cell is plain JavaScript when nothing in it is TypeScript's own syntax: no annotation, type parameter or
 * argument, interface, type alias, enum, namespace, `as`/`satisfies`/`!`, access modifier, `implements`,
 * optional parameter or `import type`. Such a cell is not nagged about what only a typed program calls wrong.
 */
export function isPlainJavaScript(file: ts.SourceFile): boolean {
  const typed = (node: ts.Node): boolean => {
    if (TYPE_ONLY_KINDS.has(node.kind)) return true;
    const n = node as unknown as Record<string, unknown>;
    if (n.type !== undefined && ts.isTypeNode(n.type as ts.Node) && !ts.isTypeOfExpression(node)) return true;
    if (Array.isArray(n.typeParameters) || Array.isArray(n.typeArguments)) return true;
    if (ts.isParameter(node) && node.questionToken) return true;
    if (ts.isVariableDeclaration(node) && node.exclamationToken) return true;
    if ((ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isExportDeclaration(node)) && node.isTypeOnly) return true;
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return true;
    return ts.forEachChild(node, typed) === true;
  };
  return !ts.forEachChild(file, typed);
}

export function moduleFileName(dir: string, id: number): string {
  return `${dir}/__looplab_cell_${id}.ts`;
}

/** The cells that ran, in order, and the module each became. */
export class NotebookModules {
  readonly #dir: string;
  readonly #cells: CellModule[] = [];
  /** Name -> the latest cell that declared it. */
  readonly #owner = new Map<string, CellModule>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  get cells(): readonly CellModule[] {
    return this.#cells;
  }

  /** The module text for `source` against everything declared so far (without adding it). */
  build(id: number, source: string): CellModule {
    const fileName = moduleFileName(this.#dir, id);
    const parsed = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const { names, exported } = declaredNames(parsed);
    const own = new Set(names);
    return {
      id,
      fileName,
      text: `${source}\n;${this.#tail(own, names.filter((name) => !exported.has(name)))}`,
      sourceLength: source.length,
      declared: names,
      plainJs: isPlainJavaScript(parsed),
    };
  }

  add(module: CellModule): void {
    this.#cells.push(module);
    for (const name of module.declared) this.#owner.set(name, module);
  }

  drop(id: number): void {
    const index = this.#cells.findIndex((cell) => cell.id === id);
    if (index === -1) return;
    this.#cells.splice(index, 1);
    this.#owner.clear();
    for (const cell of this.#cells) for (const name of cell.declared) this.#owner.set(name, cell);
  }

  /** `export {...}` of the cell's own names, and one import per earlier cell of the names it owns now. */
  #tail(own: Set<string>, exports: string[]): string {
    const byCell = new Map<CellModule, string[]>();
    for (const [name, cell] of this.#owner) {
      if (own.has(name)) continue;
      const list = byCell.get(cell) ?? [];
      list.push(name);
      byCell.set(cell, list);
    }
    const parts = exports.length > 0 ? [`export { ${exports.join(", ")} };`] : ["export {};"];
    for (const [cell, list] of byCell) parts.push(`import { ${list.join(", ")} } from "./__looplab_cell_${cell.id}.ts";`);
    return parts.join("\n");
  }
}
