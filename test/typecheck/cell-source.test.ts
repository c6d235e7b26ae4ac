// checkedSource(): what of a cell the checker reads, with the cell's own lines and columns.
import { describe, expect, it } from "vitest";
import { checkedSource } from "../../kernel/typecheck/cell-source.ts";

describe("checkedSource", () => {
  it("skips cells without a single name: they cannot be wrong in a way a type shows, and stay as cheap as they were", () => {
    expect(checkedSource("1 + 1")).toBeUndefined();
    expect(checkedSource("[1, 2, 3]")).toBeUndefined();
    expect(checkedSource("%lsmagic")).toBeUndefined();
    expect(checkedSource("%typecheck strict")).toBeUndefined();
  });

  it("keeps a cell magic's body on its lines, the magic line emptied", () => {
    expect(checkedSource("%%time\nconst x: string = 1")).toBe("\nconst x: string = 1");
  });

  it("puts %time and %timeit code where it sits in the cell, options skipped", () => {
    const timed = checkedSource("%time const x: string = 1")!;
    expect(timed.indexOf("const")).toBe("%time ".length);
    const timeit = checkedSource("\n%timeit -n 5 -r 2 sq(3)")!;
    expect(timeit.split("\n")[1]!.indexOf("sq")).toBe("%timeit -n 5 -r 2 ".length);
  });
});
