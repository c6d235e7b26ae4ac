// Turns the Markdown tables one bench file printed on several Node versions into one table per original table,
// a row per figure and a column per version, so the versions read side by side.

/** The tables in a bench's output, each with the heading or sentence printed just before it. */
export function tables(text) {
  const found = [];
  let title = "";
  let current;
  for (const line of text.split("\n")) {
    if (line.startsWith("|")) {
      const cells = line.slice(1, line.endsWith("|") ? -1 : undefined).split("|").map((cell) => cell.trim());
      if (current === undefined) found.push((current = { title, header: cells, rows: [] }));
      else if (!cells.every((cell) => /^:?-+:?$/.test(cell))) current.rows.push(cells);
      continue;
    }
    current = undefined;
    if (line.trim() !== "") title = line.replace(/^#+\s*/, "").trim();
  }
  return found;
}

/** outputs: [{ version, text }] of the same bench file; returns Markdown. */
export function sideBySide(outputs) {
  const parsed = outputs.map(({ version, text }) => ({ version, tables: tables(text) }));
  const count = Math.max(0, ...parsed.map((p) => p.tables.length));
  const out = [];
  for (let t = 0; t < count; t++) {
    const first = parsed.find((p) => p.tables[t] !== undefined).tables[t];
    // A table keyed by the Node version itself (the kernel floors) has one row per run: key it by nothing.
    const keyOf = (row, header) => (header[0] === "Node" ? "" : row[0]);
    const figures = new Map();
    for (const { version, tables: mine } of parsed) {
      const table = mine[t];
      if (table === undefined) continue;
      for (const row of table.rows) {
        for (let c = 1; c < table.header.length; c++) {
          const key = keyOf(row, table.header);
          const label = table.header.length > 2 ? [key, table.header[c]].filter(Boolean).join(": ") : key;
          if (!figures.has(label)) figures.set(label, new Map());
          figures.get(label).set(version, row[c] ?? "");
        }
      }
    }
    out.push(first.title ? `${first.title}\n` : "");
    out.push(`| figure | ${parsed.map((p) => `Node ${p.version}`).join(" | ")} |`);
    out.push(`|---|${parsed.map(() => "---:").join("|")}|`);
    for (const [label, values] of figures) out.push(`| ${label} | ${parsed.map((p) => values.get(p.version) ?? "").join(" | ")} |`);
    out.push("");
  }
  return out.join("\n");
}
