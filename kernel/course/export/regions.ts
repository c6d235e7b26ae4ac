// Solution and prompt regions inside a cell, marked in comments as nbgrader and otter-grader mark them.
//
//   // BEGIN SOLUTION          the student edition replaces these lines with "// Your solution here",
//   ...                        indented like the marker, so the starter code around the hole stays
//   // END SOLUTION
//   // BEGIN PROMPT            lines the student edition uncomments (starter code that would spoil the
//   // const total = a + b;   instructor's run, such as the buggy code of a "fix this" exercise); a
//   // END PROMPT             solution region right after it is replaced by the prompt alone, no placeholder
import { NotebookError } from "../notebook/read.ts";

type Marker = "BEGIN SOLUTION" | "END SOLUTION" | "BEGIN PROMPT" | "END PROMPT";

/** `//` for C-like languages, `#` for Python and shells: the comment the markers are written in. */
export function commentFor(language: string): "//" | "#" {
  return /python|bash|shell|^r$|ruby|julia/i.test(language) ? "#" : "//";
}

const MARKER = /^([ \t]*)(?:\/\/|#)[ \t]*(BEGIN SOLUTION|END SOLUTION|BEGIN PROMPT|END PROMPT)[ \t]*$/;

function markerOf(line: string): { indent: string; marker: Marker } | undefined {
  const match = MARKER.exec(line);
  return match ? { indent: match[1], marker: match[2] as Marker } : undefined;
}

/** Whether the source has any region marker (such a cell is an exercise with starter code). */
export function hasRegions(source: string): boolean {
  return source.split("\n").some((line) => markerOf(line) !== undefined);
}

/**
 * The source as the student sees it. `where` names the cell in the error a teacher gets for a region that is
 * opened and never closed, closed without being opened, or nested (each would hand out half a solution).
 */
export function studentSource(source: string, language: string, where: string): string {
  const comment = commentFor(language);
  const out: string[] = [];
  let open: { marker: "BEGIN SOLUTION" | "BEGIN PROMPT"; line: number } | undefined;
  // The line before was END PROMPT: the solution that follows is what the prompt is to become.
  let afterPrompt = false;
  const lines = source.split("\n");
  lines.forEach((line, index) => {
    const found = markerOf(line);
    const promptJustClosed = afterPrompt;
    afterPrompt = found?.marker === "END PROMPT";
    if (found?.marker.startsWith("BEGIN")) {
      if (open) throw new NotebookError(`${where}, line ${index + 1}: ${found.marker} inside the ${open.marker} of line ${open.line}`);
      open = { marker: found.marker as "BEGIN SOLUTION" | "BEGIN PROMPT", line: index + 1 };
      if (found.marker === "BEGIN SOLUTION" && !promptJustClosed) out.push(`${found.indent}${comment} Your solution here`);
    } else if (found) {
      const expected = found.marker === "END SOLUTION" ? "BEGIN SOLUTION" : "BEGIN PROMPT";
      if (open?.marker !== expected) throw new NotebookError(`${where}, line ${index + 1}: ${found.marker} without a ${expected} before it`);
      open = undefined;
    } else if (open?.marker === "BEGIN PROMPT") {
      out.push(uncomment(line, comment));
    } else if (!open) {
      out.push(line);
    }
  });
  if (open) throw new NotebookError(`${where}, line ${open.line}: ${open.marker} is never closed (END ${open.marker.slice(6)})`);
  return out.join("\n");
}

/** "  // const x = 1;" -> "  const x = 1;": the first comment mark after the indentation, and one space after it. */
function uncomment(line: string, comment: string): string {
  const match = /^([ \t]*)(.*)$/.exec(line)!;
  const rest = match[2];
  if (!rest.startsWith(comment)) return line;
  return match[1] + rest.slice(comment.length).replace(/^ /, "");
}
