// Every cell as a virtual TypeScript module: its own source, then a tail importing what earlier cells declared.
//
// The kernel runs cells in one scope where a later declaration replaces an earlier one. Checking them as one
// concatenated file would make re-declarations errors and would retype old code by new declarations; as one
// module per cell, each name is imported from the latest cell that declared it, and an earlier cell keeps the
// types it was checked with. The tail sits after the source, so the cell's own lines and columns stay as typed.
import { SyntaxKind, type BindingName, type Node, type SourceFile } from "typescript7/unstable/ast";
import * as is from "typescript7/unstable/ast/is";

export interface CellModule {
  readonly id: number;
  readonly fileName: string;
  readonly text: string;
  /** Length of the user's source at the start of `text`: diagnostics beyond it belong to the tail. */
  readonly sourceLength: number;
  readonly declared: readonly string[];
  readonly plainJs: boolean;
}

/** Every identifier the cell spells (properties too: a superset of the earlier names it can refer to). */
export function spelledNames(file: SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: Node): undefined => {
    if (is.isIdentifier(node)) names.add(node.text);
    else node.forEachChild(visit);
    return undefined;
  };
  file.forEachChild(visit);
  return names;
}

/** The top-level names a cell declares, values and types alike, and the ones it already exports itself. */
export function declaredNames(file: SourceFile): { names: string[]; exported: Set<string> } {
  const names: string[] = [];
  const exported = new Set<string>();
  const add = (name: string, isExported: boolean) => {
    names.push(name);
    if (isExported) exported.add(name);
  };
  const bindings = (name: BindingName | undefined, isExported: boolean): void => {
    if (!name) return;
    if (is.isIdentifier(name)) add(name.text, isExported);
    else for (const element of name.elements) if (!is.isOmittedExpression(element)) bindings(element.name, isExported);
  };
  for (const statement of file.statements) {
    const modifiers = (statement as { modifiers?: readonly Node[] }).modifiers ?? [];
    const isExported = modifiers.some((m) => m.kind === SyntaxKind.ExportKeyword);
    if (is.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bindings(declaration.name, isExported);
    } else if (
      (is.isFunctionDeclaration(statement) || is.isClassDeclaration(statement) || is.isEnumDeclaration(statement) ||
        is.isInterfaceDeclaration(statement) || is.isTypeAliasDeclaration(statement) || is.isModuleDeclaration(statement)) &&
      statement.name && is.isIdentifier(statement.name)
    ) {
      add(statement.name.text, isExported);
    } else if (is.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, false);
      const named = clause.namedBindings;
      if (named && is.isNamespaceImport(named)) add(named.name.text, false);
      else if (named) for (const element of named.elements) add(element.name.text, false);
    } else if (is.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, isExported);
    }
  }
  return { names: [...new Set(names)], exported };
}

const TYPE_ONLY_KINDS = new Set<SyntaxKind>([
  SyntaxKind.InterfaceDeclaration, SyntaxKind.TypeAliasDeclaration, SyntaxKind.EnumDeclaration,
  SyntaxKind.ModuleDeclaration, SyntaxKind.ImportEqualsDeclaration, SyntaxKind.AsExpression,
  SyntaxKind.SatisfiesExpression, SyntaxKind.NonNullExpression, SyntaxKind.TypeAssertionExpression,
  SyntaxKind.PublicKeyword, SyntaxKind.PrivateKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.ReadonlyKeyword,
  SyntaxKind.AbstractKeyword, SyntaxKind.DeclareKeyword, SyntaxKind.OverrideKeyword, SyntaxKind.ImplementsKeyword,
]);

/**
 * A cell is plain JavaScript when nothing in it is TypeScript's own syntax: no annotation, type parameter or
 * argument, interface, type alias, enum, namespace, `as`/`satisfies`/`!`, access modifier, `implements`,
 * optional parameter or `import type`. Such a cell is not nagged about what only a typed program calls wrong.
 */
export function isPlainJavaScript(file: SourceFile): boolean {
  const typed = (node: Node): boolean => {
    if (TYPE_ONLY_KINDS.has(node.kind)) return true;
    const n = node as unknown as Record<string, unknown>;
    if (n.type !== undefined && n.type !== null && is.isTypeNode(n.type as Node) && !is.isTypeOfExpression(node)) return true;
    const count = (list: unknown) => (list as { length?: number } | undefined)?.length ?? 0;
    if (count(n.typeParameters) > 0 || count(n.typeArguments) > 0) return true;
    if (is.isParameterDeclaration(node) && node.questionToken) return true;
    if (is.isVariableDeclaration(node) && node.exclamationToken) return true;
    if (is.isImportClause(node) && node.phaseModifier === SyntaxKind.TypeKeyword) return true;
    if ((is.isImportSpecifier(node) || is.isExportDeclaration(node)) && node.isTypeOnly) return true;
    if (is.isHeritageClause(node) && node.token === SyntaxKind.ImplementsKeyword) return true;
    return node.forEachChild(typed) === true;
  };
  return file.forEachChild(typed) !== true;
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

  fileNameOf(id: number): string {
    return moduleFileName(this.#dir, id);
  }

  /** What a cell's module starts as, for the checker to parse: the source, made a module. */
  static provisional(source: string): string {
    return `${source}\n;export {};`;
  }

  /**
   * The module text for `source` (parsed from its provisional text) against everything declared so far. A cell
   * imports only the earlier names it spells (a notebook of a thousand cells stays a thousand small modules);
   * `everything` imports all of them (the draft being completed may name any).
   */
  build(id: number, source: string, parsed: SourceFile, everything = false): CellModule {
    const fileName = moduleFileName(this.#dir, id);
    const { names, exported } = declaredNames(parsed);
    const own = new Set(names);
    const wanted = everything ? undefined : spelledNames(parsed);
    return {
      id,
      fileName,
      text: `${source}\n;${this.#tail(own, names.filter((name) => !exported.has(name)), wanted)}`,
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

  /** `export {...}` of the cell's own names, and one import per earlier cell of the (wanted) names it owns now. */
  #tail(own: Set<string>, exports: string[], wanted: Set<string> | undefined): string {
    const byCell = new Map<CellModule, string[]>();
    for (const [name, cell] of this.#owner) {
      if (own.has(name) || (wanted && !wanted.has(name))) continue;
      const list = byCell.get(cell) ?? [];
      list.push(name);
      byCell.set(cell, list);
    }
    const parts = exports.length > 0 ? [`export { ${exports.join(", ")} };`] : ["export {};"];
    for (const [cell, list] of byCell) parts.push(`import { ${list.join(", ")} } from "./__looplab_cell_${cell.id}.ts";`);
    return parts.join("\n");
  }
}
