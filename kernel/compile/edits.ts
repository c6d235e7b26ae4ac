// One edit list for everything the compiler adds to or changes in someone's program, applied from AST positions.
//
// Every inserted text belongs to a construct of the source (a node's range): it opens or closes it. Where
// several texts meet at one offset, their order follows from how those constructs nest, not from the order in
// which the rewrite happened to visit them: what closes an inner construct comes before what closes an outer
// one, what opens an outer one before what opens an inner one. (`const f = () => 1` newline `f()` once became
// `f = () => (check, 1;)` because the declaration's `;` and the arrow body's `)` were ordered by visit.)
// A new kind of insertion (interrupt checks, await wrapping, call instrumentation...) picks a layer and uses
// wrap/open/close; it never needs to know about the others.
import { EditMap, type PieceKind } from "./positions.ts";

/** A source range [start, end), such as an acorn node's. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * Which insertion is outermost when several belong to constructs with the same range: lower layers enclose
 * higher ones. (A loop check's braces around a single-statement body enclose the rewrite of a declaration
 * that is the body; the cell result's `return {` encloses the await check of an `await x` that is the result.)
 */
export const Layer = {
  /** The cell's async wrapper and what goes first in it. */
  scope: 0,
  /** Interrupt checks at the top of loop and function bodies. */
  check: 1,
  /** Declarations turned into assignments, the result's `return`, export forms: statement-level rewrites. */
  statement: 2,
  /** Expression-level wrappers: `check(await x)`. */
  expression: 3,
} as const;
export type Layer = (typeof Layer)[keyof typeof Layer];

/** Text put in at one offset, on the opening or closing side of the construct `owner` it belongs to. */
export interface Insertion {
  readonly kind: "insert";
  readonly at: number;
  readonly text: string;
  readonly owner: Range;
  readonly side: "open" | "close";
  readonly layer: Layer;
  /** Wrapper text that stands for nothing in the source: positions inside it map to undefined. */
  readonly unmapped: boolean;
}

/** Source text [start, end) replaced by text (an empty text deletes). Replaced ranges never overlap. */
export interface Replacement {
  readonly kind: "replace";
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly unmapped: boolean;
}

export type Edit = Insertion | Replacement;

interface Flags {
  /** Default true for insertions (wrapper code), false for replacements (they stand for the text they replace). */
  unmapped?: boolean;
}

/** `before` at owner's start and `after` at its end. */
export function wrap(owner: Range, before: string, after: string, layer: Layer, flags: Flags = {}): Insertion[] {
  return [open(owner, owner.start, before, layer, flags), close(owner, owner.end, after, layer, flags)];
}

/** Text on the opening side of owner, at `at` (its start unless given: after a block's `{`, say). */
export function open(owner: Range, at: number, text: string, layer: Layer, flags: Flags = {}): Insertion {
  return { kind: "insert", at, text, owner, side: "open", layer, unmapped: flags.unmapped ?? true };
}

/** Text on the closing side of owner, at `at` (its end, or before a `;` that ends it). */
export function close(owner: Range, at: number, text: string, layer: Layer, flags: Flags = {}): Insertion {
  return { kind: "insert", at, text, owner, side: "close", layer, unmapped: flags.unmapped ?? true };
}

export function replace(start: number, end: number, text: string, flags: Flags = {}): Replacement {
  return { kind: "replace", start, end, text, unmapped: flags.unmapped ?? false };
}

/**
 * Applies the edits. At one offset: first what closes constructs that end there (innermost first), then what
 * opens constructs that start there (outermost first), then what closes empty ones, then a replacement. Among
 * insertions whose owners have the same range, lower layers are outside; within a layer, the order given.
 */
export function applyEdits(source: string, edits: readonly Edit[]): { code: string; map: EditMap } {
  const ordered = edits.map((edit, order) => ({ edit, order, at: edit.kind === "insert" ? edit.at : edit.start })).sort((a, b) => a.at - b.at || compareAtOneOffset(a.edit, b.edit) || a.order - b.order);
  const parts: string[] = [];
  const outStarts: number[] = [];
  const sourceStarts: number[] = [];
  const kinds: PieceKind[] = [];
  let out = 0;
  let cursor = 0;
  const piece = (text: string, from: number, kind: PieceKind) => {
    if (text.length === 0) return;
    parts.push(text);
    outStarts.push(out);
    sourceStarts.push(from);
    kinds.push(kind);
    out += text.length;
  };
  for (const { edit, at } of ordered) {
    if (at < cursor) throw new Error(`internal: overlapping edits at ${at}`);
    piece(source.slice(cursor, at), cursor, "copied");
    piece(edit.text, at, edit.unmapped ? "unmapped" : "inserted");
    cursor = edit.kind === "replace" ? edit.end : at;
  }
  piece(source.slice(cursor), cursor, "copied");
  if (outStarts.length === 0) {
    outStarts.push(0);
    sourceStarts.push(0);
    kinds.push("copied");
  }
  return { code: parts.join(""), map: new EditMap(outStarts, sourceStarts, kinds) };
}

/** 0: closes a non-empty construct, 1: opens one, 2: closes an empty one, 3: replaces. */
function group(edit: Edit): number {
  if (edit.kind === "replace") return 3;
  if (edit.side === "open") return 1;
  return edit.owner.start === edit.owner.end ? 2 : 0;
}

function compareAtOneOffset(a: Edit, b: Edit): number {
  const byGroup = group(a) - group(b);
  if (byGroup !== 0 || a.kind === "replace" || b.kind === "replace") return byGroup;
  if (a.side === "open") {
    // Outermost first: the earlier start, then the later end, then the lower layer.
    return a.owner.start - b.owner.start || b.owner.end - a.owner.end || a.layer - b.layer;
  }
  // Innermost first: the later start, then the earlier end, then the higher layer.
  return b.owner.start - a.owner.start || a.owner.end - b.owner.end || b.layer - a.layer;
}
