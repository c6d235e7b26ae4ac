// display(), its helpers and handles, clearOutput and the runtime's live publisher, seen as published messages.
import { describe, expect, it } from "vitest";
import { createDisplay, createPublisher, type Publish } from "../../kernel/display/display-global.ts";

function recorder() {
  const sent: Array<{ type: string; content: any }> = [];
  const publish = ((type: string, content: unknown) => {
    sent.push({ type, content });
  }) as Publish;
  return { sent, publish };
}

describe("display()", () => {
  it("publishes display_data with the value's bundle and a display id", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    const handle = display({ a: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe("display_data");
    expect(sent[0]!.content.data).toEqual({ "text/plain": "{ a: 1 }" });
    expect(sent[0]!.content.transient.display_id).toBe(handle.displayId);
    expect(handle.displayId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("updates in place through the handle, with the same id", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    const handle = display("loading", { displayId: "progress" });
    handle.update("done");
    expect(handle.displayId).toBe("progress");
    expect(sent[1]).toEqual({
      type: "update_display_data",
      content: { data: { "text/plain": "'done'" }, metadata: {}, transient: { display_id: "progress" } },
    });
  });

  it("gives fresh random ids for displayId: true", () => {
    const { publish } = recorder();
    const { display } = createDisplay(publish);
    const a = display(1, { displayId: true });
    const b = display(2, { displayId: true });
    expect(a.displayId).not.toBe(b.displayId);
  });

  it("renders objects with Jupyter.display richly and shows raw bundles as given", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    display({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<i>x</i>", "text/plain": "x" }) });
    display({ "text/markdown": "# Title" }, { raw: true, metadata: { tag: 1 } });
    expect(sent[0]!.content.data).toEqual({ "text/html": "<i>x</i>", "text/plain": "x" });
    expect(sent[1]!.content.data).toEqual({ "text/markdown": "# Title" });
    expect(sent[1]!.content.metadata).toEqual({ tag: 1 });
  });

  it("has helpers for html, markdown, svg, json, latex and text", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    display.html("<b>b</b>");
    display.markdown("**m**");
    display.svg("<svg></svg>");
    display.json({ when: new Date(0), list: [1] }, { expanded: true });
    display.latex("$x^2$");
    display.text("plain, not quoted");
    const data = sent.map((m) => m.content.data);
    expect(data[0]["text/html"]).toBe("<b>b</b>");
    expect(data[1]["text/markdown"]).toBe("**m**");
    expect(data[2]["image/svg+xml"]).toBe("<svg></svg>");
    expect(data[3]["application/json"]).toEqual({ when: "1970-01-01T00:00:00.000Z", list: [1] });
    expect(sent[3]!.content.metadata).toEqual({ "application/json": { expanded: true } });
    expect(data[4]["text/latex"]).toBe("$x^2$");
    expect(data[5]).toEqual({ "text/plain": "plain, not quoted" });
    for (const d of data) expect(typeof d["text/plain"]).toBe("string");
  });

  it("accepts png/jpeg as bytes, base64 or a data URL, with size metadata", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    display.png(Buffer.from([137, 80, 78, 71]), { width: 100 });
    display.png(new Uint8Array([137, 80, 78, 71]));
    display.jpeg("data:image/jpeg;base64,/9j/4A==");
    expect(sent[0]!.content.data["image/png"]).toBe("iVBORw==");
    expect(sent[0]!.content.metadata).toEqual({ "image/png": { width: 100 } });
    expect(sent[1]!.content.data["image/png"]).toBe("iVBORw==");
    expect(sent[2]!.content.data["image/jpeg"]).toBe("/9j/4A==");
    expect(() => display.png(42 as never)).toThrow(TypeError);
  });

  it("rejects non-string input to text helpers and non-JSON values to json", () => {
    const { publish } = recorder();
    const { display } = createDisplay(publish);
    expect(() => display.html(3 as never)).toThrow(/display.html: expected a string/);
    const cyclic: any = {};
    cyclic.self = cyclic;
    expect(() => display.json(cyclic)).toThrow(TypeError);
  });

  it("cuts a 50 MB text display with a note", () => {
    const { sent, publish } = recorder();
    const { display } = createDisplay(publish);
    display.text("z".repeat(50_000_000));
    expect(sent[0]!.content.data["text/plain"]).toMatch(/\n… \[49\.0 MB more not shown\]$/);
  });

  it("clears output, waiting or not", () => {
    const { sent, publish } = recorder();
    const { clearOutput } = createDisplay(publish);
    clearOutput();
    clearOutput({ wait: true });
    expect(sent).toEqual([
      { type: "clear_output", content: { wait: false } },
      { type: "clear_output", content: { wait: true } },
    ]);
  });
});

describe("createPublisher (the runtime's live display)", () => {
  it("displays and updates bundles by id", () => {
    const { sent, publish } = recorder();
    const live = createPublisher(publish);
    live.display({ "text/plain": "t=0", "image/svg+xml": "<svg/>" }, { displayId: "tl-1" });
    live.update("tl-1", { "text/plain": "t=1", "image/svg+xml": "<svg></svg>" });
    live.display({ "text/plain": "no id" });
    expect(sent[0]).toEqual({
      type: "display_data",
      content: { data: { "text/plain": "t=0", "image/svg+xml": "<svg/>" }, metadata: {}, transient: { display_id: "tl-1" } },
    });
    expect(sent[1]!.type).toBe("update_display_data");
    expect(sent[1]!.content.transient).toEqual({ display_id: "tl-1" });
    expect(sent[2]!.content.transient).toEqual({});
  });

  it("shows an unusable bundle as text instead of losing it", () => {
    const { sent, publish } = recorder();
    createPublisher(publish).display(42);
    expect(sent[0]!.content.data).toEqual({ "text/plain": "42" });
  });
});
