// toMimeBundle and the output size limit: what a cell's result and display() put on the wire.
import { describe, expect, it } from "vitest";
import { limitBundle, normalizeBundle, OUTPUT_LIMIT_BYTES, toMimeBundle, truncate } from "../../kernel/display/mime.ts";

const display = Symbol.for("Jupyter.display");

describe("toMimeBundle", () => {
  it("shows values as the Node REPL does, without colours", () => {
    expect(toMimeBundle("hello").data).toEqual({ "text/plain": "'hello'" });
    expect(toMimeBundle(42).data["text/plain"]).toBe("42");
    expect(toMimeBundle(10n).data["text/plain"]).toBe("10n");
    expect(toMimeBundle({ a: 1, b: [1, 2] }).data["text/plain"]).toBe("{ a: 1, b: [ 1, 2 ] }");
    expect(toMimeBundle(new Map([["k", 1]])).data["text/plain"]).toBe("Map(1) { 'k' => 1 }");
    const text = toMimeBundle({ nested: { deeper: { still: { more: { end: 1 } } } } }).data["text/plain"] as string;
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("uses an object's Jupyter.display bundle and adds text/plain when missing", () => {
    const rich = { [display]: () => ({ "text/html": "<b>hi</b>", "text/plain": "hi" }) };
    expect(toMimeBundle(rich)).toEqual({ data: { "text/html": "<b>hi</b>", "text/plain": "hi" }, metadata: {} });
    class Chart {
      [display]() {
        return { "image/svg+xml": "<svg/>" };
      }
    }
    const bundle = toMimeBundle(new Chart());
    expect(bundle.data["image/svg+xml"]).toBe("<svg/>");
    expect(bundle.data["text/plain"]).toBe("Chart {}");
  });

  it("accepts the { data, metadata } form", () => {
    const value = { [display]: () => ({ data: { "image/png": "AAAA", "text/plain": "img" }, metadata: { "image/png": { width: 10 } } }) };
    expect(toMimeBundle(value)).toEqual({
      data: { "image/png": "AAAA", "text/plain": "img" },
      metadata: { "image/png": { width: 10 } },
    });
  });

  it("falls back to text/plain when the display method returns nonsense or throws", () => {
    const nonsense = { x: 1, [display]: () => "not a bundle" };
    expect(toMimeBundle(nonsense).data).toEqual({ "text/plain": expect.stringContaining("x: 1") });
    const noMime = { [display]: () => ({ hello: "world" }) };
    expect(Object.keys(toMimeBundle(noMime).data)).toEqual(["text/plain"]);
    const throwing = { [display]: () => { throw new RangeError("nope"); } };
    expect(toMimeBundle(throwing).data["text/plain"]).toContain("threw RangeError: nope");
  });

  it("keeps JSON values for JSON types, turns bytes into base64 and drops invalid entries", () => {
    const bundle = normalizeBundle({
      "application/json": { a: [1] },
      "application/vnd.custom+json": 3,
      "image/png": new Uint8Array([1, 2, 3]),
      "text/html": ["<p>", "x</p>"],
      "text/plain": 5,
      "not a mime": "x",
    });
    expect(bundle?.data).toEqual({
      "application/json": { a: [1] },
      "application/vnd.custom+json": 3,
      "image/png": "AQID",
      "text/html": "<p>x</p>",
    });
  });

  it("does not run Proxy traps looking for a display method", () => {
    let trapped = 0;
    const proxy = new Proxy({}, { get: () => { trapped++; return () => ({ "text/html": "x" }); } });
    const bundle = toMimeBundle(proxy);
    expect(bundle.data["text/html"]).toBeUndefined();
    expect(trapped).toBe(0);
  });
});

describe("the output size limit", () => {
  it("cuts a 50 MB string with a note saying how much was left out", () => {
    const huge = "x".repeat(50_000_000);
    const cut = truncate(huge);
    expect(cut.length).toBeLessThan(OUTPUT_LIMIT_BYTES + 100);
    expect(cut.startsWith("x".repeat(1000))).toBe(true);
    expect(cut.endsWith("\n… [49.0 MB more not shown]")).toBe(true);
  });

  it("cuts a 50 MB string that is a cell's result", () => {
    const text = toMimeBundle("y".repeat(50_000_000)).data["text/plain"] as string;
    expect(text.startsWith("'yyy")).toBe(true);
    expect(text).toMatch(/… \[49\.0 MB more not shown\]$/);
    expect(text.length).toBeLessThan(OUTPUT_LIMIT_BYTES + 100);
  });

  it("leaves text within the limit untouched and prefers to cut at a line break", () => {
    expect(truncate("short")).toBe("short");
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n");
    const cut = truncate(lines, 1000);
    const shown = cut.split("\n").slice(0, -1);
    expect(shown.at(-1)).toMatch(/^line \d+$/);
    expect(lines.startsWith(shown.join("\n"))).toBe(true);
    expect(cut).toMatch(/… \[\d+(\.\d)? KB more not shown\]$|… \[\d+ bytes more not shown\]$/);
  });

  it("never splits a character made of two UTF-16 units and counts UTF-8 bytes", () => {
    const emoji = "😀".repeat(1000); // 4 bytes each
    const cut = truncate(emoji, 10);
    expect(cut.split("\n")[0]).toBe("😀😀");
    expect(cut.endsWith("[4.0 KB more not shown]")).toBe(true); // 3992 bytes left out
  });

  it("cuts text fields of display bundles and drops oversized binary ones", () => {
    const bundle = limitBundle({
      data: { "text/html": "<p>" + "a".repeat(3_000_000), "image/png": "A".repeat(25_000_000), "text/plain": "pic" },
      metadata: {},
    });
    expect((bundle.data["text/html"] as string).endsWith("more not shown]")).toBe(true);
    expect(bundle.data["image/png"]).toBeUndefined();
    expect(bundle.data["text/plain"]).toBe("pic\n[image/png output of 25.0 MB not shown: over the 20.0 MB limit]");
  });
});
