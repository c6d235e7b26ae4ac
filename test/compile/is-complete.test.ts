// is_complete for jupyter console: complete, incomplete (with an indent hint) or invalid.
import { describe, expect, it } from "vitest";
import { isComplete } from "../../kernel/compile/index.ts";

describe("isComplete", () => {
  it("calls parseable JavaScript and TypeScript complete", () => {
    for (const source of ["1 + 1", "const x = await fetchIt()", "interface A { a: number }", "class P { constructor(private x: number) {} }", "{ a: 1 }", ""]) {
      expect(isComplete(source), source).toEqual({ status: "complete", indent: "" });
    }
  });

  it("calls magic-only cells complete", () => {
    expect(isComplete("%lsmagic").status).toBe("complete");
    expect(isComplete("%%time\n").status).toBe("complete");
  });

  it("asks for more with an open block, indenting two spaces more", () => {
    expect(isComplete("function f() {")).toEqual({ status: "incomplete", indent: "  " });
    expect(isComplete("function f() {\n  if (x) {")).toEqual({ status: "incomplete", indent: "    " });
    expect(isComplete("const g = () =>")).toEqual({ status: "incomplete", indent: "  " });
  });

  it("asks for more inside open parentheses and brackets, keeping the indent", () => {
    expect(isComplete("const a = [1,\n  2,")).toEqual({ status: "incomplete", indent: "  " });
    expect(isComplete("foo(1, 2").status).toBe("incomplete");
    expect(isComplete("a +").status).toBe("incomplete");
  });

  it("asks for more inside TypeScript-only syntax", () => {
    expect(isComplete("interface A {")).toEqual({ status: "incomplete", indent: "  " });
    expect(isComplete("type T = {\n  a: number").status).toBe("incomplete");
    expect(isComplete("let x: number =").status).toBe("incomplete");
  });

  it("asks for more inside template literals, comments and continued strings", () => {
    expect(isComplete("const s = `line one")).toEqual({ status: "incomplete", indent: "" });
    expect(isComplete("/* a comment")).toEqual({ status: "incomplete", indent: "" });
    expect(isComplete("const s = 'abc\\\n").status).toBe("incomplete");
  });

  it("calls errors before the end invalid", () => {
    expect(isComplete("1 +* 2")).toEqual({ status: "invalid", indent: "" });
    expect(isComplete("let y: number = 1 +* 2\nfoo(").status).toBe("invalid");
    expect(isComplete("}").status).toBe("invalid");
    expect(isComplete("const s = 'unterminated").status).toBe("invalid");
  });
});
