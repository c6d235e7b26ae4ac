// Test helper: compiles cells and evaluates them the way the kernel does (vm.Script in this context).
import vm from "node:vm";
import { compileCell, type CompiledCell } from "../../kernel/compile/index.ts";

const global = globalThis as Record<string, unknown>;
const touched = new Set<string>();

/** Compiles and runs one cell; resolves to what the script's promise resolves to. */
export async function runCell(source: string, options: { filename?: string; importName?: string } = {}) {
  const filename = options.filename ?? "test-cell";
  const cell = await compileCell(source, { filename, importName: options.importName });
  for (const name of cell.declared) touched.add(name);
  const result = (await new vm.Script(cell.script, { filename }).runInThisContext()) as Promise<{ value: unknown } | undefined>;
  return { cell, result: await result };
}

/** The value of the cell's last expression (fails the test when the cell had none). */
export async function valueOf(source: string): Promise<unknown> {
  const { result } = await runCell(source);
  if (!result) throw new Error(`cell had no result: ${source}`);
  return result.value;
}

/** Evaluates a compiled cell without awaiting it. */
export function evaluate(cell: CompiledCell, filename = "test-cell"): Promise<{ value: unknown } | undefined> {
  for (const name of cell.declared) touched.add(name);
  return new vm.Script(cell.script, { filename }).runInThisContext() as Promise<{ value: unknown } | undefined>;
}

export function globalValue(name: string): unknown {
  touched.add(name);
  return global[name];
}

export function setGlobal(name: string, value: unknown): void {
  touched.add(name);
  global[name] = value;
}

/**
 * Script-level `var`s are non-configurable properties of the global object, so they cannot be deleted: reset
 * what the tests declared to undefined (or delete it when it was a plain assignment).
 */
export function resetGlobals(): void {
  for (const name of touched) {
    if (!Reflect.deleteProperty(global, name)) global[name] = undefined;
  }
  touched.clear();
}
