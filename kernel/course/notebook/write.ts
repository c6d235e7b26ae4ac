// Writes the model back as nbformat 4.5 JSON the way Jupyter does (sorted keys, one-space indent, line lists),
// so saved notebooks diff cleanly against ones saved by JupyterLab.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Cell, MimeBundle, Notebook, Output } from "./types.ts";

/** Splits text into lines that keep their "\n", as nbformat stores multiline strings. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function bundleJson(bundle: MimeBundle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(bundle)) out[mime] = typeof value === "string" ? splitLines(value) : value;
  return out;
}

function outputJson(output: Output): Record<string, unknown> {
  switch (output.output_type) {
    case "stream":
      return { output_type: "stream", name: output.name, text: splitLines(output.text) };
    case "display_data":
      return { output_type: "display_data", data: bundleJson(output.data), metadata: output.metadata };
    case "execute_result":
      return { output_type: "execute_result", execution_count: output.execution_count, data: bundleJson(output.data), metadata: output.metadata };
    case "error":
      return { output_type: "error", ename: output.ename, evalue: output.evalue, traceback: output.traceback };
  }
}

function cellJson(cell: Cell): Record<string, unknown> {
  const common = { id: cell.id, cell_type: cell.cell_type, metadata: cell.metadata, source: splitLines(cell.source) };
  if (cell.cell_type === "code") return { ...common, execution_count: cell.execution_count, outputs: cell.outputs.map(outputJson) };
  if (cell.attachments) return { ...common, attachments: Object.fromEntries(Object.entries(cell.attachments).map(([k, v]) => [k, bundleJson(v)])) };
  return common;
}

/** JSON.stringify with object keys sorted at every level (nbformat writes `sort_keys=True`). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

/** The file text of a notebook, always nbformat 4.5 (cell ids are what 4.5 adds, and every cell has one). */
export function serializeNotebook(notebook: Notebook): string {
  const { orig_nbformat: _dropped, ...metadata } = notebook.metadata;
  const json = { cells: notebook.cells.map(cellJson), metadata, nbformat: 4, nbformat_minor: 5 };
  return JSON.stringify(sortKeys(json), null, 1) + "\n";
}

/** Writes atomically (temp file + rename) so an interrupted run never leaves half a notebook behind. */
export function writeNotebook(path: string, notebook: Notebook): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  // "wx" after removing any leftover: a symbolic link planted at the temp name is removed, never written through.
  rmSync(temp, { force: true });
  writeFileSync(temp, serializeNotebook(notebook), { flag: "wx" });
  renameSync(temp, path);
}
