// The messages between the kernel and its checker process (kernel/typecheck/checker.worker.ts), both ways.

/** A cell as the checker sees it: the user's source with magic lines emptied (line numbers kept). */
export interface CheckedCell {
  /** Unique per run of a cell: the name of the cell's virtual module. */
  readonly id: number;
  readonly source: string;
}

export interface Diagnostic {
  /** TypeScript's error number, e.g. 2322. */
  readonly code: number;
  readonly message: string;
  /** 1-based line and 0-based column in the cell's text. */
  readonly line: number;
  readonly column: number;
}

/** One completion from the language service, in the kinds ipykernel's `_jupyter_types_experimental` uses. */
export interface TypedMatch {
  readonly text: string;
  readonly type: string;
  readonly signature?: string;
}

export type Request =
  /** Cells that ran before this checker started, in order. */
  | { kind: "add"; cells: CheckedCell[] }
  | { kind: "drop"; id: number }
  | { kind: "check"; seq: number; cell: CheckedCell }
  | { kind: "complete"; seq: number; source: string; offset: number }
  | { kind: "inspect"; seq: number; source: string; offset: number };

export type Response =
  | { kind: "ready" }
  | { kind: "check"; seq: number; diagnostics: Diagnostic[]; plainJs: boolean; ms: number }
  | { kind: "complete"; seq: number; start: number; matches: TypedMatch[] }
  | { kind: "inspect"; seq: number; found: boolean; signature: string; documentation: string }
  | { kind: "failed"; seq: number; message: string };
