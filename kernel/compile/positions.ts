// Position bookkeeping: offsets <-> lines, the way back from edited text to its source, esbuild's source map.

/** A place in some text: 1-based line, 0-based column (UTF-16 units), the convention of stack traces and acorn. */
export interface Position {
  line: number;
  column: number;
}

/** Converts between offsets and line/column for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  private readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) this.starts.push(at + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset of a position, or undefined when the line does not exist. Columns past the line's end clamp. */
  offsetOf(line: number, column: number): number | undefined {
    if (line < 1 || line > this.starts.length || column < 0) return undefined;
    const start = this.starts[line - 1]!;
    const end = line < this.starts.length ? this.starts[line]! - 1 : this.length;
    return Math.min(start + column, end);
  }

  positionOf(offset: number): Position {
    const index = lastAtOrBefore(this.starts, offset);
    return { line: index + 1, column: offset - this.starts[index]! };
  }
}

/** The index of the last entry of ascending `sorted` that is <= offset (0 when none is). */
function lastAtOrBefore(sorted: readonly number[], offset: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** How a piece of edited text relates to the source (see applyEdits in edits.ts). */
export type PieceKind = "copied" | "inserted" | "unmapped";

/** Maps offsets in edited text back to the source it was made from. */
export class EditMap {
  // Parallel arrays, one entry per output piece: where it starts in the output, where it came from in the
  // source, and how it maps: copied (offsets inside map one to one), inserted (everything maps to the edit's
  // start) or unmapped (wrapper code).
  constructor(
    private readonly outStarts: number[],
    private readonly sourceStarts: number[],
    private readonly kinds: PieceKind[],
  ) {}

  toSource(offset: number): number | undefined {
    const piece = lastAtOrBefore(this.outStarts, offset);
    const start = this.sourceStarts[piece] ?? 0;
    const kind = this.kinds[piece];
    return kind === "copied" ? start + (offset - this.outStarts[piece]!) : kind === "inserted" ? start : undefined;
  }
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/**
 * A decoded single-source map (what esbuild's transform returns). Decoding happens on first lookup: maps are
 * only needed when something failed, and most cells never fail.
 */
export class SourceMapLookup {
  // Per generated line: flat triples [generatedColumn, sourceLine, sourceColumn], all 0-based, sorted by column.
  private lines: number[][] | undefined;

  constructor(private readonly mappings: string) {}

  /** The source position (1-based line) of a generated one, or undefined when that line maps to nothing. */
  originalFor(line: number, column: number): Position | undefined {
    this.lines ??= decodeMappings(this.mappings);
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    // The last segment starting at or before the column; before the first one, the first one.
    let found = 0;
    for (let i = 0; i < segments.length; i += 3) {
      if (segments[i]! <= column) found = i;
      else break;
    }
    const generatedColumn = segments[found]!;
    const sourceLine = segments[found + 1]!;
    let sourceColumn = segments[found + 2]!;
    // esbuild copies tokens verbatim, so inside a segment the columns advance together.
    if (column > generatedColumn) sourceColumn += column - generatedColumn;
    return { line: sourceLine + 1, column: sourceColumn };
  }
}

function decodeMappings(mappings: string): number[][] {
  const lines: number[][] = [[]];
  let sourceLine = 0;
  let sourceColumn = 0;
  let generatedColumn = 0;
  let field = 0;
  const segment: number[] = [];
  let value = 0;
  let shift = 0;
  const flushSegment = () => {
    // Segments with a source have 4 or 5 fields; single-field segments map to nothing and are skipped.
    if (segment.length >= 4) {
      generatedColumn = segment[0]!;
      lines[lines.length - 1]!.push(generatedColumn, sourceLine, sourceColumn);
    } else if (segment.length >= 1) {
      generatedColumn = segment[0]!;
    }
    segment.length = 0;
    field = 0;
  };
  for (let i = 0; i < mappings.length; i++) {
    const char = mappings.charCodeAt(i);
    if (char === 59 /* ; */) {
      flushSegment();
      lines.push([]);
      generatedColumn = 0;
      continue;
    }
    if (char === 44 /* , */) {
      flushSegment();
      continue;
    }
    const digit = BASE64_VALUE[char] ?? -1;
    if (digit < 0) continue;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    const decoded = value & 1 ? -(value >>> 1) : value >>> 1;
    value = 0;
    shift = 0;
    // Fields are deltas: generated column (per line), source index, source line, source column, name.
    switch (field) {
      case 0:
        segment.push(generatedColumn + decoded);
        break;
      case 1:
        segment.push(decoded);
        break;
      case 2:
        sourceLine += decoded;
        segment.push(sourceLine);
        break;
      case 3:
        sourceColumn += decoded;
        segment.push(sourceColumn);
        break;
      default:
        segment.push(decoded);
    }
    field++;
  }
  flushSegment();
  return lines;
}
