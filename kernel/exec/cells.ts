// Every compiled cell by its script filename, so stack frames and late errors find their cell and line.
import type { Execution } from "./context.ts";

export interface CellRecord {
  readonly filename: string;
  readonly executionCount: number;
  readonly source: string;
  readonly execution: Execution;
  map(line: number, column: number): { line: number; column: number } | undefined;
}

const cells = new Map<string, CellRecord>();
let sequence = 0;

/** A fresh filename for the next cell: `Cell In[n]` is what users read, the suffix keeps re-runs apart. */
export function nextCellFilename(executionCount: number): string {
  sequence += 1;
  return `cell-${executionCount}-${sequence}.ts`;
}

export function registerCell(record: CellRecord): void {
  cells.set(record.filename, record);
}

export function lookupCell(filename: string): CellRecord | undefined {
  return cells.get(filename);
}

const CELL_FRAME = /(cell-\d+-\d+\.ts):\d+:\d+/;

/** The cell whose code appears first in a stack trace: where a late error came from. */
export function cellOfStack(stack: string | undefined): CellRecord | undefined {
  if (!stack) return undefined;
  const match = CELL_FRAME.exec(stack);
  return match ? cells.get(match[1]) : undefined;
}
