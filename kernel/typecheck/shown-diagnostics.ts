// Which of TypeScript's diagnostics a cell shows: none that come from the notebook's own semantics, and in a
// plain JavaScript cell only those that point at a mistake in any language.
import { SyntaxKind, type Node, type SourceFile } from "typescript7/unstable/ast";
import * as is from "typescript7/unstable/ast/is";

/**
 * Never shown: a later cell assigning to an earlier cell's `let` is fine in a notebook (our modules import it,
 * and an import is read-only to TypeScript).
 */
const NOTEBOOK_SEMANTICS = new Set([2632]);

/**
 * What a plain JavaScript cell is told: calling or reading something that is not there, passing a typed
 * function the wrong kind of argument, using a promise as if it were its value, comparisons that can never
 * hold. Not shown there: implicit `any` (7xxx), a variable taking a new kind of value (2322), arity (JS passes
 * undefined), possibly-undefined values, which are the JavaScript way of writing, not mistakes.
 */
const PLAIN_JS_SHOWN = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2339, // Property 'x' does not exist on type 'T'.
  2551, // Property 'x' does not exist on type 'T'. Did you mean 'y'?
  2349, // This expression is not callable.
  2351, // This expression is not constructable.
  2345, // Argument of type 'A' is not assignable to parameter of type 'P'.
  2769, // No overload matches this call.
  2365, // Operator '+' cannot be applied to types 'A' and 'B'.
  2367, // This comparison appears to be unintentional because the types 'A' and 'B' have no overlap.
  2801, // This condition will always return true since this 'Promise<T>' is always defined. Did you forget 'await'?
  2774, // This condition will always return true since this function is always defined. Did you mean to call it?
  2693, // 'T' only refers to a type, but is being used as a value here.
]);

/** `start`: where TypeScript puts the diagnostic in `file`, the cell's module. */
export function isShown(code: number, start: number, plainJs: boolean, file: SourceFile): boolean {
  if (NOTEBOOK_SEMANTICS.has(code)) return false;
  if (!plainJs) return true;
  if (!PLAIN_JS_SHOWN.has(code)) return false;
  // `o.extra = 1` on a plain object: JavaScript adds the property.
  if ((code === 2339 || code === 2551) && isAssignedTo(file, start)) return false;
  return true;
}

function isAssignedTo(file: SourceFile, start: number): boolean {
  let node = findNode(file, start);
  while (node && !is.isPropertyAccessExpression(node)) node = node.parent;
  if (!node) return false;
  const parent = node.parent;
  // By place: the checker hands out a fresh object for each visit of a node.
  return is.isBinaryExpression(parent) && parent.left.pos === node.pos && parent.left.end === node.end && parent.operatorToken.kind === SyntaxKind.EqualsToken;
}

function findNode(file: SourceFile, position: number): Node | undefined {
  const visit = (node: Node): Node | undefined =>
    position >= node.getStart(file) && position < node.getEnd() ? (node.forEachChild(visit) ?? node) : undefined;
  return file.forEachChild(visit);
}
