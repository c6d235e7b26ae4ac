// Reads .ipynb files into the typed model: sources joined, ids ensured, and a damaged file reported in one clear line.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { joinText, type Cell, type CellMetadata, type MimeBundle, type Notebook, type Output } from "./types.ts";

/** A notebook that cannot be used; `message` names the file and what is wrong with it, fit for a user. */
export class NotebookError extends Error {
  override name = "NotebookError";
}

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text MIME types are saved as line lists; JSON types (application/json, *+json) keep their structure. */
function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

export function normaliseBundle(data: unknown): MimeBundle {
  if (!isObject(data)) return {};
  const bundle: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) bundle[mime] = isJsonMime(mime) ? value : joinText(value);
  return bundle;
}

function normaliseOutput(raw: unknown, where: string): Output {
  if (!isObject(raw)) throw new NotebookError(`${where} is not an object`);
  switch (raw.output_type) {
    case "stream":
      return { output_type: "stream", name: raw.name === "stderr" ? "stderr" : "stdout", text: joinText(raw.text) };
    case "display_data":
      return { output_type: "display_data", data: normaliseBundle(raw.data), metadata: isObject(raw.metadata) ? raw.metadata : {} };
    case "execute_result":
      return {
        output_type: "execute_result",
        execution_count: typeof raw.execution_count === "number" ? raw.execution_count : null,
        data: normaliseBundle(raw.data),
        metadata: isObject(raw.metadata) ? raw.metadata : {},
      };
    case "error":
      return {
        output_type: "error",
        ename: String(raw.ename ?? "Error"),
        evalue: String(raw.evalue ?? ""),
        traceback: Array.isArray(raw.traceback) ? raw.traceback.map(String) : [],
      };
    default:
      throw new NotebookError(`${where} has an unknown output_type ${JSON.stringify(raw.output_type)}`);
  }
}

function newCellId(taken: Set<string>): string {
  let id: string;
  do id = randomBytes(4).toString("hex");
  while (taken.has(id));
  return id;
}

function normaliseCell(raw: unknown, index: number, taken: Set<string>, origin: string): Cell {
  const where = `${origin}: cell ${index + 1}`;
  if (!isObject(raw)) throw new NotebookError(`${where} is not an object`);
  const metadata: CellMetadata = isObject(raw.metadata) ? { ...raw.metadata } : {};
  if (metadata.tags !== undefined && !Array.isArray(metadata.tags)) delete metadata.tags;
  // Ids must be unique and match the schema; notebooks older than 4.5 have none, so give them one.
  let id = typeof raw.id === "string" && CELL_ID.test(raw.id) && !taken.has(raw.id) ? raw.id : newCellId(taken);
  taken.add(id);
  const source = joinText(raw.source);
  const attachments = isObject(raw.attachments)
    ? Object.fromEntries(Object.entries(raw.attachments).map(([name, bundle]) => [name, normaliseBundle(bundle)]))
    : undefined;
  switch (raw.cell_type) {
    case "code": {
      const outputs = Array.isArray(raw.outputs) ? raw.outputs.map((o, i) => normaliseOutput(o, `${where}, output ${i + 1}`)) : [];
      const count = typeof raw.execution_count === "number" ? raw.execution_count : null;
      return { cell_type: "code", id, source, metadata, execution_count: count, outputs };
    }
    case "markdown":
      return { cell_type: "markdown", id, source, metadata, ...(attachments ? { attachments } : {}) };
    case "raw":
      return { cell_type: "raw", id, source, metadata, ...(attachments ? { attachments } : {}) };
    default:
      throw new NotebookError(`${where} has an unknown cell_type ${JSON.stringify(raw.cell_type)}`);
  }
}

/** Parses notebook JSON; `origin` (usually the path) prefixes every error message. */
export function parseNotebook(text: string, origin = "notebook"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message.replace(/^JSON\.parse: /, "");
    throw new NotebookError(`${origin} is not valid JSON (${detail}); is the file truncated or not a notebook?`);
  }
  if (!isObject(raw)) throw new NotebookError(`${origin} does not hold a notebook (expected a JSON object)`);
  if (raw.nbformat !== 4) {
    const found = raw.nbformat === undefined ? "no nbformat field" : `nbformat ${JSON.stringify(raw.nbformat)}`;
    throw new NotebookError(`${origin} has ${found}; only nbformat 4 notebooks are supported`);
  }
  if (!Array.isArray(raw.cells)) throw new NotebookError(`${origin} has no cells list`);
  const taken = new Set<string>();
  const cells = raw.cells.map((cell, index) => normaliseCell(cell, index, taken, origin));
  return {
    nbformat: 4,
    nbformat_minor: typeof raw.nbformat_minor === "number" ? raw.nbformat_minor : 0,
    metadata: isObject(raw.metadata) ? (raw.metadata as Notebook["metadata"]) : {},
    cells,
  };
}

/** Reads and parses one .ipynb file; a missing, unreadable or corrupt file becomes a NotebookError. */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotebookError(code === "ENOENT" ? `${path} does not exist` : `cannot read ${path} (${code ?? (error as Error).message})`);
  }
  return parseNotebook(text, path);
}
