// Imports in cells go through the kernel's importer (a global function): static, dynamic, typed, with attributes.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { compileCell } from "../../kernel/compile/index.ts";
import { resetGlobals, runCell, setGlobal, valueOf } from "./run-cell.ts";

interface ImportCall {
  specifier: string;
  options: unknown;
}
let calls: ImportCall[] = [];

/** A fake importer: every module has a default export naming it, a `named` export and an `other` export. */
function fakeImporter(specifier: string, options?: unknown) {
  calls.push({ specifier, options });
  return Promise.resolve({ default: `default of ${specifier}`, named: `named of ${specifier}`, other: 2 });
}

beforeEach(() => {
  calls = [];
  setGlobal("__looplab_import", fakeImporter);
});
afterAll(resetGlobals);

describe("import declarations", () => {
  it("binds a default import", async () => {
    const { cell } = await runCell("import imDefault from 'mod-a';");
    expect(cell.declared).toEqual(["imDefault"]);
    expect(await valueOf("imDefault")).toBe("default of mod-a");
    expect(calls.map((c) => c.specifier)).toEqual(["mod-a"]);
  });

  it("binds named imports, with renames, next to a default", async () => {
    await runCell("import imDef2, { named as imRenamed, other } from \"mod-b\";");
    expect(await valueOf("[imDef2, imRenamed, other]")).toEqual(["default of mod-b", "named of mod-b", 2]);
  });

  it("binds a namespace import, with a default beside it", async () => {
    await runCell("import imDef3, * as imNs from 'mod-c';");
    expect(await valueOf("[imNs.named, imDef3]")).toEqual(["named of mod-c", "default of mod-c"]);
  });

  it("runs side-effect-only imports", async () => {
    const { cell } = await runCell("import 'mod-side-effect';");
    expect(cell.declared).toEqual([]);
    expect(calls.map((c) => c.specifier)).toEqual(["mod-side-effect"]);
  });

  it("imports in order, before the statements after them", async () => {
    await runCell("import { named as imFirst } from 'one';\nconst imBetween = imFirst.length;\nimport { named as imSecond } from 'two';");
    expect(calls.map((c) => c.specifier)).toEqual(["one", "two"]);
    expect(await valueOf("imBetween")).toBe("named of one".length);
  });

  it("drops type-only imports and type-only specifiers", async () => {
    const { cell } = await runCell("import type { Foo } from 'types-only';\nimport { type Bar, named as imKept } from 'mixed';\nconst imUse: Foo | Bar = 1 as never;");
    expect(calls.map((c) => c.specifier)).toEqual(["mixed"]);
    expect(cell.declared).toEqual(["imKept", "imUse"]);
  });

  it("keeps an import that only later cells use", async () => {
    await runCell("import { named as imLater } from 'for-later';\nconst imTyped: number = 1;");
    expect(calls.map((c) => c.specifier)).toEqual(["for-later"]);
    expect(await valueOf("imLater")).toBe("named of for-later");
  });

  it("passes import attributes to the importer", async () => {
    await runCell("import imJson from './data.json' with { type: 'json' };");
    expect(calls).toEqual([{ specifier: "./data.json", options: { with: { type: "json" } } }]);
  });

  it("keeps lines stable when an import spans several lines", async () => {
    const cell = await compileCell("import {\n  named,\n  other,\n} from 'multi';\nconst imAfter = 1;", { filename: "c" });
    expect(cell.script.split("\n")[4]).toContain("imAfter = 1");
  });

  it("uses the importer name it is given", async () => {
    setGlobal("customImporter", (s: string) => Promise.resolve({ default: `custom ${s}` }));
    const { result } = await runCell("import imCustom from 'x';\nimCustom", { importName: "customImporter" });
    expect(result).toEqual({ value: "custom x" });
    expect(calls).toEqual([]);
  });
});

describe("dynamic import()", () => {
  it("goes through the importer at the top level and inside functions", async () => {
    const value = await valueOf("const imLoad = async () => (await import('inner')).named;\n[(await import('outer')).default, await imLoad()]");
    expect(value).toEqual(["default of outer", "named of inner"]);
    expect(calls.map((c) => c.specifier)).toEqual(["outer", "inner"]);
  });

  it("passes options and works as the cell's result", async () => {
    const { result } = await runCell("await import('as-result', { with: { type: 'json' } })");
    expect(result).toEqual({ value: { default: "default of as-result", named: "named of as-result", other: 2 } });
    expect(calls[0]!.options).toEqual({ with: { type: "json" } });
  });

  it("maps import.meta onto the importer, since scripts have none", async () => {
    Object.assign(fakeImporter, { meta: { url: "file:///notebook/cell" } });
    expect(await valueOf("import.meta.url")).toBe("file:///notebook/cell");
  });
});
