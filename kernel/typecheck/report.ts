// A cell's type errors as the user reads them: a marked warning block in our traceback's style.
import { cellLabel, pointAt } from "../display/traceback.ts";
import type { Diagnostic } from "./protocol.ts";

const YELLOW = "\u001b[0;33m";
const BOLD_YELLOW = "\u001b[1;33m";
const RESET = "\u001b[0m";

/** `TS2322` and friends: what a learner searches for. */
function headline(count: number, ran: boolean): string {
  const noun = count === 1 ? "1 type error" : `${count} type errors`;
  const after = ran ? "the cell ran anyway" : "strict mode: the cell did not run";
  return `${BOLD_YELLOW}TypeScript: ${noun} in this cell${RESET} ${YELLOW}(${after}; %typecheck off hides these)${RESET}\n`;
}

/**
 * `Cell In[3], line 2, col 9: Type 'number' is not assignable to type 'string'. (TS2322)`, the line and a
 * caret, for each diagnostic; columns are 1-based as tsc prints them.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], executionCount: number, source: string, ran: boolean): string {
  const lines = source.split("\n");
  const blocks = diagnostics.map((d) => {
    const label = `${cellLabel(executionCount, d.line)}, col ${d.column + 1}: ${d.message} ${YELLOW}(TS${d.code})${RESET}`;
    return pointAt(label, lines[d.line - 1]?.replace(/\r$/, ""), d.column, BOLD_YELLOW);
  });
  return headline(diagnostics.length, ran) + blocks.join("");
}
