// The part of a cell that is TypeScript: magic lines emptied, `%time`/`%timeit` arguments in their place.
import { argsInPlace, splitMagics } from "../compile/magics.ts";

const TIMEIT_OPTIONS = /^(?:-[nr]\s*\d+\s+)*/;

/**
 * What the checker reads for a cell, or undefined when there is nothing a type could be wrong in: no
 * identifier at all (`1 + 1`, the cheapest cells stay as cheap as they were) or only magics that take no code.
 */
export function checkedSource(code: string): string | undefined {
  const { magics, body } = splitMagics(code);
  let source = body;
  const lineMagics = magics.filter((m) => m.kind === "line");
  if (lineMagics.length > 0) {
    const withCode = lineMagics.find((m) => m.name === "time" || m.name === "timeit");
    if (!withCode) return undefined;
    const skip = withCode.name === "timeit" ? TIMEIT_OPTIONS.exec(withCode.args)![0].length : 0;
    source = argsInPlace(withCode, skip);
  }
  return /[\p{ID_Start}$_]/u.test(source) ? source : undefined;
}
