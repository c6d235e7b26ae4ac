// is_complete for jupyter console: would pressing Enter run the cell, or does the user still need to type?
import { splitMagics } from "./magics.ts";
import { parseProgram, RewriteError } from "./rewrite.ts";
import { transpileSync, TranspileError } from "./transpile.ts";

export interface Completeness {
  status: "complete" | "incomplete" | "invalid";
  /** For "incomplete": what the next line should start with. */
  indent: string;
}

const COMPLETE: Completeness = { status: "complete", indent: "" };
const INVALID: Completeness = { status: "invalid", indent: "" };

/**
 * Complete when the cell parses; incomplete when parsing ran out of text (an open brace, parenthesis, template
 * or comment, a string continued with a backslash); invalid when it failed anywhere else. Magic-only cells are
 * complete. JavaScript is checked with acorn alone; only text acorn rejects mid-way (TypeScript syntax, or a
 * real error) is asked of esbuild.
 */
export function isComplete(source: string): Completeness {
  const { body } = splitMagics(source);
  if (body.trim() === "") return COMPLETE;
  try {
    parseProgram(body);
    return COMPLETE;
  } catch (error) {
    if (!(error instanceof RewriteError)) throw error;
    if (/^Unterminated (template|comment)/.test(error.message)) return { status: "incomplete", indent: "" };
    if (/^Unterminated string/.test(error.message)) return /\\\r?\n?$/.test(body) ? { status: "incomplete", indent: "" } : INVALID;
    if (error.offset >= body.trimEnd().length) return { status: "incomplete", indent: indentAfter(body) };
  }
  try {
    transpileSync(body, "cell");
    return COMPLETE;
  } catch (error) {
    if (!(error instanceof TranspileError)) throw error;
    return error.atEnd ? { status: "incomplete", indent: indentAfter(body) } : INVALID;
  }
}

/** The last line's indentation, two spaces more when that line opens a block, call, array or arrow body. */
function indentAfter(body: string): string {
  const lines = body.split("\n");
  let last = "";
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.trim() !== "") {
      last = lines[i]!.trimEnd();
      break;
    }
  }
  const indent = /^[ \t]*/.exec(last)![0];
  return /([{([]|=>)$/.test(last) ? `${indent}  ` : indent;
}
