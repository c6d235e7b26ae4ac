// One type check per executed cell, beside its run: started with the cell, shown under it when ready.
import { Checker } from "./checker.ts";
import { checkedSource } from "./cell-source.ts";
import { typecheckMode } from "./mode.ts";
import { formatDiagnostics } from "./report.ts";
import type { Diagnostic } from "./protocol.ts";

export interface CellCheck {
  /** The diagnostics to show, [] for none, undefined when the checker could not answer. */
  readonly diagnostics: Promise<Diagnostic[] | undefined>;
  /** The cell did not run: it declares nothing for later cells. */
  drop(): void;
  /** The warning block for these diagnostics. */
  report(diagnostics: readonly Diagnostic[], ran: boolean): string;
}

export class CellChecks {
  readonly checker: Checker;
  #id = 0;

  constructor(log: (line: string) => void) {
    const idle = Number(process.env.LOOPLAB_TYPECHECK_IDLE_S);
    this.checker = new Checker({ log, idleMs: Number.isFinite(idle) && idle > 0 ? idle * 1000 : undefined });
  }

  /** Starts checking a cell about to run; undefined when type checking is off or the cell has nothing to check. */
  start(code: string, executionCount: number): CellCheck | undefined {
    if (typecheckMode() === "off") return undefined;
    const source = checkedSource(code);
    if (source === undefined) return undefined;
    const id = ++this.#id;
    const diagnostics = this.checker.check({ id, source }).then((answer) => answer?.diagnostics);
    return {
      diagnostics,
      drop: () => this.checker.drop(id),
      report: (found, ran) => formatDiagnostics(found, executionCount, code, ran),
    };
  }

  stop(): void {
    this.checker.stop();
  }
}
