// Magics: `%name args` and `%%name args` lines at the top of a cell, which are not TypeScript.

export interface Magic {
  name: string;
  /** Everything after the name, trimmed. For `%time expr` this is code the caller compiles on its own. */
  args: string;
  kind: "line" | "cell";
  /** 1-based line of the cell the magic sits on. */
  line: number;
  /** 0-based column of the cell line where `args` starts, so errors in args can point into the cell. */
  argsColumn: number;
}

// `%` then an optional second `%`, a name, then the arguments. Leading spaces are allowed like IPython's line magics.
const MAGIC_LINE = /^(\s*)(%%?)([A-Za-z_][\w.-]*)(.*)$/;

/**
 * Takes the magic lines off the top of a cell (blank lines before and between them allowed). The body keeps
 * every line, with magic lines emptied, so line numbers in errors from the body still match the cell.
 */
export function splitMagics(source: string): { magics: Magic[]; body: string } {
  // Cheap exit for the common cell: nothing that could be a magic.
  if (!source.includes("%")) return { magics: [], body: source };
  const lines = source.split("\n");
  const magics: Magic[] = [];
  let index = 0;
  for (; index < lines.length; index++) {
    const text = lines[index]!;
    if (text.trim() === "") continue;
    const found = MAGIC_LINE.exec(text.endsWith("\r") ? text.slice(0, -1) : text);
    if (!found) break;
    const [, indent, percent, name, rest] = found as unknown as [string, string, string, string, string];
    const argsStart = indent.length + percent.length + name.length + (rest.length - rest.trimStart().length);
    magics.push({
      name,
      args: rest.trim(),
      kind: percent === "%%" ? "cell" : "line",
      line: index + 1,
      argsColumn: argsStart,
    });
    lines[index] = "";
  }
  if (magics.length === 0) return { magics, body: source };
  return { magics, body: lines.join("\n") };
}

/**
 * A line magic's arguments (from offset `skip` on, e.g. past `%timeit`'s options) as source that sits where
 * they sit in the cell: blank lines above, spaces before. Compiled on their own, their syntax errors and stack
 * frames then carry the cell's own line and column, and the cell's text shows the right line.
 */
export function argsInPlace(magic: Magic, skip = 0): string {
  return `${"\n".repeat(magic.line - 1)}${" ".repeat(magic.argsColumn + skip)}${magic.args.slice(skip)}`;
}
