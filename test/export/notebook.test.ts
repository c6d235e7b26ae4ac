// The nbformat helpers shared by run and export: reading, clear errors for damaged files, writing 4.5.
import { describe, expect, it } from "vitest";
import { NotebookError, parseNotebook } from "../../kernel/course/notebook/read.ts";
import { serializeNotebook, splitLines } from "../../kernel/course/notebook/write.ts";
import { schemaErrors, schemaMissing } from "./schema.ts";

const v44 = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 4,
  metadata: { kernelspec: { name: "looplab", display_name: "TypeScript (LoopLab)" }, orig_nbformat: 3 },
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# Title\n", "text"] },
    { cell_type: "code", metadata: { tags: ["solution"] }, source: "const x = 1;\nx", execution_count: 3, outputs: [
      { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
      { output_type: "execute_result", execution_count: 3, data: { "text/plain": ["1"], "application/json": { a: [1] } }, metadata: {} },
    ] },
    { cell_type: "code", id: "same", metadata: {}, source: [], execution_count: null, outputs: [] },
    { cell_type: "code", id: "same", metadata: {}, source: [], execution_count: null, outputs: [] },
  ],
});

describe("reading notebooks", () => {
  it("joins sources and text saved as line lists, and keeps JSON data structured", () => {
    const nb = parseNotebook(v44);
    expect(nb.cells[0].source).toBe("# Title\ntext");
    expect(nb.cells[1].source).toBe("const x = 1;\nx");
    const cell = nb.cells[1];
    if (cell.cell_type !== "code") throw new Error("expected code");
    expect(cell.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "a\nb\n" });
    expect(cell.outputs[1]).toMatchObject({ data: { "text/plain": "1", "application/json": { a: [1] } } });
  });

  it("gives every cell a unique valid id (4.4 notebooks have none)", () => {
    const ids = parseNotebook(v44).cells.map((c) => c.id);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(ids[2]).toBe("same");
  });

  it.each([
    ["{not json", /nb\.ipynb is not valid JSON/],
    ["[]", /does not hold a notebook/],
    ['{"nbformat": 3, "worksheets": []}', /nbformat 3; only nbformat 4/],
    ['{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', /has no cells list/],
    ['{"nbformat": 4, "cells": [{"cell_type": "heading"}]}', /cell 1 has an unknown cell_type "heading"/],
  ])("reports %s as a NotebookError that names the file", (text, message) => {
    expect(() => parseNotebook(text, "nb.ipynb")).toThrow(NotebookError);
    expect(() => parseNotebook(text, "nb.ipynb")).toThrow(message);
  });
});

describe("writing notebooks", () => {
  it("splits text into lines that keep their newline", () => {
    expect(splitLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
    expect(splitLines("")).toEqual([]);
  });

  it("writes nbformat 4.5 with sorted keys, ids, and no orig_nbformat; reading it back changes nothing", (ctx) => {
    const text = serializeNotebook(parseNotebook(v44));
    const json = JSON.parse(text);
    expect(json.nbformat_minor).toBe(5);
    expect(json.metadata.orig_nbformat).toBeUndefined();
    expect(Object.keys(json.cells[1])).toEqual(["cell_type", "execution_count", "id", "metadata", "outputs", "source"]);
    expect(json.cells[1].source).toEqual(["const x = 1;\n", "x"]);
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
    const reason = schemaMissing();
    if (reason) return ctx.skip(reason);
    expect(schemaErrors(text)).toEqual([]);
  });
});
