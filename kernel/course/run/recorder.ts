// Turns a kernel's iopub messages into nbformat outputs the way Jupyter front ends do: streams merged,
// display ids updated wherever they were shown, clear_output(wait) deferred until the next output.
import { normaliseBundle } from "../notebook/read.ts";
import type { CodeCell, DisplayDataOutput, ExecuteResultOutput, Output } from "../notebook/types.ts";
import type { Message } from "../../wire/message.ts";

type Displayed = DisplayDataOutput | ExecuteResultOutput;

/** Records the outputs of the cells of one notebook; display ids are notebook-wide, as in Jupyter. */
export class NotebookRecorder {
  /** Every output shown with a display id, so update_display_data can reach it in any cell. */
  readonly #byDisplayId = new Map<string, Set<Displayed>>();

  /** A recorder for one cell; its outputs are written into `cell.outputs` as messages arrive. */
  cell(cell: CodeCell): CellRecorder {
    return new CellRecorder(cell, this.#byDisplayId);
  }
}

export class CellRecorder {
  #clearPending = false;

  constructor(
    readonly cell: CodeCell,
    readonly displays: Map<string, Set<Displayed>>,
  ) {}

  /** Applies one iopub message whose parent is this cell's execute_request. */
  feed(message: Message): void {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream": {
        const name = content.name === "stderr" ? "stderr" : "stdout";
        this.#push({ output_type: "stream", name, text: String(content.text ?? "") });
        break;
      }
      case "display_data":
        this.#push({ output_type: "display_data", data: normaliseBundle(content.data), metadata: metadataOf(content) }, displayId(content));
        break;
      case "execute_result": {
        const count = typeof content.execution_count === "number" ? content.execution_count : null;
        this.#push({ output_type: "execute_result", execution_count: count, data: normaliseBundle(content.data), metadata: metadataOf(content) }, displayId(content));
        break;
      }
      case "update_display_data": {
        const id = displayId(content);
        // Jupyter ignores an update for an id that was never displayed; so do we.
        for (const output of (id && this.displays.get(id)) || []) {
          output.data = normaliseBundle(content.data);
          output.metadata = metadataOf(content);
        }
        break;
      }
      case "error":
        this.#push({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        break;
      case "clear_output":
        if (content.wait) this.#clearPending = true;
        else this.#clear();
        break;
      case "execute_input":
        if (typeof content.execution_count === "number") this.cell.execution_count = content.execution_count;
        break;
    }
  }

  #clear(): void {
    this.#clearPending = false;
    for (const output of this.cell.outputs) {
      if (output.output_type === "display_data" || output.output_type === "execute_result") {
        for (const set of this.displays.values()) set.delete(output);
      }
    }
    this.cell.outputs = [];
  }

  #push(output: Output, id?: string): void {
    // clear_output(wait=True) clears just before the next output, so animations do not flicker.
    if (this.#clearPending) this.#clear();
    const last = this.cell.outputs.at(-1);
    if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name) {
      last.text += output.text;
      return;
    }
    this.cell.outputs.push(output);
    if (id && (output.output_type === "display_data" || output.output_type === "execute_result")) {
      let set = this.displays.get(id);
      if (!set) this.displays.set(id, (set = new Set()));
      set.add(output);
    }
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}

function metadataOf(content: Record<string, unknown>): Record<string, unknown> {
  const metadata = content.metadata;
  return typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
}
