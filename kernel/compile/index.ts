// The cell compiler: TypeScript cell -> a script for vm.Script, its declared names, magics, positions. Pure functions.
export { compileCell, IMPORT_NAME, type CompiledCell, type CompileOptions } from "./compile-cell.ts";
export { CellSyntaxError, scriptSyntaxErrorPosition } from "./errors.ts";
export { splitMagics, type Magic } from "./magics.ts";
export { isComplete, type Completeness } from "./complete-check.ts";
export { stopTranspiler, warmTranspiler } from "./transpile.ts";
export type { Position } from "./positions.ts";
