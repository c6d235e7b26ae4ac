// How type errors treat a cell: shown after it ran (warn, the default), stop it before it runs (strict), or off.
export type TypecheckMode = "warn" | "strict" | "off";

export const MODES: readonly TypecheckMode[] = ["warn", "strict", "off"];

function fromEnv(value: string | undefined): TypecheckMode {
  return MODES.includes(value as TypecheckMode) ? (value as TypecheckMode) : "warn";
}

/** The kernel option (env LOOPLAB_TYPECHECK, set in the kernelspec's env), until `%typecheck` changes it. */
let mode: TypecheckMode = fromEnv(process.env.LOOPLAB_TYPECHECK);

export function typecheckMode(): TypecheckMode {
  return mode;
}

export function setTypecheckMode(next: TypecheckMode): void {
  mode = next;
}

/**
 * Batch runners (`looplab run`, nbconvert) stop listening at a cell's reply: with LOOPLAB_TYPECHECK_BEFORE_REPLY=1
 * the reply waits for the cell's diagnostics, so they are saved with its outputs. Interactive front ends keep
 * listening to a cell after its reply, so by default nothing waits for the checker.
 */
export const BEFORE_REPLY = process.env.LOOPLAB_TYPECHECK_BEFORE_REPLY === "1";
