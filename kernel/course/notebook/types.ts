// The nbformat 4 document model, typed so that a cell or output of one kind cannot carry another kind's fields.

/** A MIME bundle as saved in outputs: text types hold (multiline) strings, JSON types hold any JSON value. */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CellMetadata {
  tags?: string[];
  [key: string]: unknown;
}

export interface CodeCell {
  cell_type: "code";
  id: string;
  source: string;
  metadata: CellMetadata;
  execution_count: number | null;
  outputs: Output[];
}

export interface MarkdownCell {
  cell_type: "markdown";
  id: string;
  source: string;
  metadata: CellMetadata;
  /** Images pasted into the cell, referenced as `attachment:NAME`. */
  attachments?: Record<string, MimeBundle>;
}

export interface RawCell {
  cell_type: "raw";
  id: string;
  source: string;
  metadata: CellMetadata;
  attachments?: Record<string, MimeBundle>;
}

export type Cell = CodeCell | MarkdownCell | RawCell;

export interface NotebookMetadata {
  kernelspec?: { name: string; display_name: string; language?: string; [key: string]: unknown };
  language_info?: { name: string; [key: string]: unknown };
  title?: string;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}

/** The tags of a cell (an empty list when it has none). */
export function tagsOf(cell: Cell): readonly string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

export function hasTag(cell: Cell, tag: string): boolean {
  return tagsOf(cell).includes(tag);
}

/** Joins a text field that may be saved as a list of lines. */
export function joinText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === "string" ? part : String(part))).join("");
  return value === undefined || value === null ? "" : String(value);
}
