// applyEdits: texts meeting at one offset nest the way their constructs do, whatever order they were made in.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdits, close, Layer, open, replace, wrap, type Edit } from "../../kernel/compile/edits.ts";

describe("applyEdits", () => {
  it("closes the inner construct before the outer one, and opens the outer one first", () => {
    // `f = () => 1` + `;`: the declaration [0, 11) ends where the arrow's body [10, 11) ends.
    const source = "f = () => 1";
    const declaration = { start: 0, end: 11 };
    const body = { start: 10, end: 11 };
    for (const order of [0, 1]) {
      const edits: Edit[] = [close(declaration, 11, ";", Layer.statement), ...wrap(body, "(check(), ", ")", Layer.check)];
      if (order) edits.reverse();
      expect(applyEdits(source, edits).code).toBe("f = () => (check(), 1);");
    }
  });

  it("puts lower layers outside higher ones around the same range", () => {
    const range = { start: 0, end: 7 };
    const edits = [...wrap(range, "R(", ")", Layer.expression), ...wrap(range, "{ L(); ", " }", Layer.check)];
    expect(applyEdits("await x", edits).code).toBe("{ L(); R(await x) }");
    expect(applyEdits("await x", edits.reverse()).code).toBe("{ L(); R(await x) }");
  });

  it("opens and closes an empty construct in order, and inserts before a replacement at the same offset", () => {
    expect(applyEdits("", wrap({ start: 0, end: 0 }, "(", ")", Layer.scope)).code).toBe("()");
    expect(applyEdits("import(x)", [replace(0, 6, "load"), ...wrap({ start: 0, end: 9 }, "R(", ")", Layer.expression)]).code).toBe("R(load(x))");
  });

  it("maps positions in copied text back to the source, and wrapper text to nothing", () => {
    const { code, map } = applyEdits("a\nb", [open({ start: 0, end: 3 }, 0, "W;", Layer.scope)]);
    expect(code).toBe("W;a\nb");
    expect(map.toSource(0)).toBeUndefined();
    expect(map.toSource(2)).toBe(0);
    expect(map.toSource(4)).toBe(2);
  });

  it("keeps properly nested wraps balanced, in any order given", () => {
    // Random nested ranges over a text of digits, each wrapped in brackets: the output must be balanced and
    // read back to the source with the brackets removed.
    const source = "0123456789";
    const ranges = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(ranges, fc.boolean(), (list, reversed) => {
        const nested = list.filter((r, i) => list.slice(0, i).every((q) => r.end <= q.start || q.end <= r.start || (q.start <= r.start && r.end <= q.end) || (r.start <= q.start && q.end <= r.end)));
        const edits = nested.flatMap((range) => wrap(range, "(", ")", Layer.statement));
        const { code } = applyEdits(source, reversed ? edits.reverse() : edits);
        // Balanced, and every source character as deep in brackets as the number of ranges around it.
        let depth = 0;
        let at = 0;
        for (const char of code) {
          if (char === "(" || char === ")") {
            depth += char === "(" ? 1 : -1;
            expect(depth).toBeGreaterThanOrEqual(0);
            continue;
          }
          expect(depth).toBe(nested.filter((range) => range.start <= at && at < range.end).length);
          at++;
        }
        expect(depth).toBe(0);
        expect(code.replace(/[()]/g, "")).toBe(source);
      }),
      { numRuns: 500 },
    );
  });
});
