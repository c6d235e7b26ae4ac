// TypeScript in cells: type syntax is erased, runtime constructs (enums, namespaces, parameter properties, using) work.
import { afterAll, describe, expect, it } from "vitest";
import { resetGlobals, runCell, valueOf } from "./run-cell.ts";

afterAll(resetGlobals);

describe("TypeScript cells", () => {
  it("erases annotations, interfaces, type aliases and generics", async () => {
    const value = await valueOf(
      [
        "interface Point {",
        "  x: number;",
        "  y: number;",
        "}",
        "type Points = Point[];",
        "function firstOf<T>(items: T[]): T { return items[0]!; }",
        "const tsPoints: Points = [{ x: 1, y: 2 }, { x: 3, y: 4 }];",
        "firstOf<Point>(tsPoints).y as number",
      ].join("\n"),
    );
    expect(value).toBe(2);
  });

  it("calls a generic function with explicit type arguments instead of comparing", async () => {
    await runCell("const tsIdentity = <T,>(x: T): T => x;");
    // In plain JavaScript `tsIdentity<number>(5)` would parse as `(tsIdentity < number) > 5`.
    expect(await valueOf("tsIdentity<number>(5)")).toBe(5);
    expect(await valueOf("const tsN = 3; tsN < 4 && tsN > 2")).toBe(true);
  });

  it("keeps enums across cells, with reverse mappings", async () => {
    await runCell("enum TsDirection { Up = 1, Down, Left, Right }");
    expect(await valueOf("TsDirection.Down")).toBe(2);
    expect(await valueOf("TsDirection[4]")).toBe("Right");
    // Re-running the enum cell merges into the existing object instead of failing.
    await runCell("enum TsDirection { Up = 1, Down, Left, Right }");
    expect(await valueOf("Object.keys(TsDirection).length")).toBe(8);
  });

  it("keeps namespaces across cells", async () => {
    await runCell("namespace TsGeo { export const unit = 'm'; export function double(n: number) { return 2 * n; } }");
    expect(await valueOf("TsGeo.double(21) + TsGeo.unit")).toBe("42m");
  });

  it("supports parameter properties and access modifiers", async () => {
    const value = await valueOf(
      [
        "class TsAccount {",
        "  constructor(private readonly owner: string, public balance: number = 0) {}",
        "  describe(): string { return `${this.owner}: ${this.balance}`; }",
        "}",
        "new TsAccount('ada', 5).describe()",
      ].join("\n"),
    );
    expect(value).toBe("ada: 5");
  });

  it("supports satisfies and non-null assertions", async () => {
    expect(await valueOf("const tsConfig = { port: 8080 } satisfies { port: number };\ntsConfig!.port")).toBe(8080);
  });

  it("disposes `using` declarations at the end of the cell and still returns the last value", async () => {
    const { result } = await runCell(
      [
        "const tsLog: string[] = [];",
        "function tsResource(name: string) { return { name, [Symbol.dispose]() { tsLog.push(`close ${name}`); } }; }",
        "using tsA = tsResource('a');",
        "using tsB = tsResource('b');",
        "tsLog.push('body');",
        "tsLog.length",
      ].join("\n"),
    );
    expect(result).toEqual({ value: 1 });
    expect(await valueOf("tsLog")).toEqual(["body", "close b", "close a"]);
  });

  it("awaits `await using` disposals", async () => {
    await runCell(
      [
        "const tsAsyncLog: string[] = [];",
        "await using tsConn = { async [Symbol.asyncDispose]() { await new Promise((r) => setTimeout(r, 1)); tsAsyncLog.push('closed'); } };",
        "tsAsyncLog.push('used');",
      ].join("\n"),
    );
    expect(await valueOf("tsAsyncLog")).toEqual(["used", "closed"]);
  });

  it("lowers `using` inside functions of an otherwise plain JavaScript cell", async () => {
    const value = await valueOf(
      [
        "const tsUsed = [];",
        "function tsScope() {",
        "  using r = { [Symbol.dispose]() { tsUsed.push('disposed'); } };",
        "  tsUsed.push('inside');",
        "}",
        "tsScope();",
        "tsUsed",
      ].join("\n"),
    );
    expect(value).toEqual(["inside", "disposed"]);
  });

  it("keeps functions, classes and enums declared in a `using` cell", async () => {
    await runCell("using tsU = { [Symbol.dispose]() {} };\nfunction tsInUsing() { return 'f'; }\nclass TsInUsing {}\nenum TsEnumInUsing { A }");
    expect(await valueOf("[tsInUsing(), typeof TsInUsing, TsEnumInUsing.A]")).toEqual(["f", "function", 0]);
  });

  it("supports decorators", async () => {
    const value = await valueOf(
      [
        "const tsSeen: string[] = [];",
        "function tsTrack(_: unknown, context: ClassMethodDecoratorContext) { tsSeen.push(String(context.name)); }",
        "class TsService { @tsTrack run() { return 'ran'; } }",
        "[new TsService().run(), tsSeen]",
      ].join("\n"),
    );
    expect(value).toEqual(["ran", ["run"]]);
  });

  it("keeps declarations that only declare types out of the declared names", async () => {
    const { cell } = await runCell("interface TsOnly { a: number }\ntype TsAlias = string;\ndeclare const tsAmbient: number;\nconst tsReal = 1;");
    expect(cell.declared).toEqual(["tsReal"]);
  });

  it("does not turn esbuild's helpers into notebook globals", async () => {
    const { cell } = await runCell("using tsHelperCheck = { [Symbol.dispose]() {} };");
    expect(cell.declared).toEqual(["tsHelperCheck"]);
    expect("__using" in globalThis).toBe(false);
    expect("_stack" in globalThis).toBe(false);
  });
});
