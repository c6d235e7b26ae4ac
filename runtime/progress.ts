// progress(items, { label? }): gather with a progress bar: count, percentage, rate and elapsed time.
//
// Items are what gather takes (tasks, promises, functions started as tasks); the results come back in item
// order and failures and cancellation behave exactly like gather's (it is gather underneath). The bar:
// - in a kernel cell: text/html + text/plain, displayed once and updated in place at most 10 times a second,
//   with a final exact update (also when an item fails: the bar then says so);
// - in plain Node with stderr on a terminal: redrawn in place on stderr, ending with a newline;
// - in plain Node otherwise (a pipe, a CI log): one final line, so logs are not flooded.
// Times are nominal (runtime/clock.ts), like every runtime figure.

import { now } from "./clock.ts";
import { LiveOutput, type MimeBundle } from "./display.ts";
import { formatDuration, formatRate } from "./timeline/format.ts";
import { esc } from "./timeline/svg.ts";
import { gather, toTaskOrPromise, type Awaitable, type AwaitedResult } from "./gather.ts";
import { Task } from "./task.ts";

export interface ProgressOptions {
  /** Written before the bar (default "progress"). */
  label?: string;
}

/** "failed": progress itself rejected (the first failure, like gather). */
type Status = "running" | "done" | "failed";

interface Snapshot {
  readonly label: string;
  readonly done: number;
  /** How many of the done items failed. */
  readonly failed: number;
  readonly total: number;
  readonly elapsedMs: number;
  readonly status: Status;
}

const BAR_COLUMNS = 24;
const REDRAW_MS = 100;

export async function progress<const I extends readonly Awaitable[]>(items: I | Iterable<I[number]>, options: ProgressOptions = {}): Promise<{ -readonly [K in keyof I]: AwaitedResult<I[K]> }> {
  const list = [...items] as Awaitable[];
  const label = options.label ?? "progress";
  const started = now();
  let done = 0;
  let failed = 0;
  const snapshot = (status: Status): Snapshot => ({ label, done, failed, total: list.length, elapsedMs: now() - started, status });

  const view = new LiveOutput(1000 / REDRAW_MS);
  const terminal = !view.live && process.stderr.isTTY === true;
  let lastTerminalDraw = -Infinity;
  const redraw = (): void => {
    if (view.live) view.request(() => bundleOf(snapshot("running")));
    else if (terminal && performance.now() - lastTerminalDraw >= REDRAW_MS) {
      lastTerminalDraw = performance.now();
      process.stderr.write(`\r\x1b[2K${textLine(snapshot("running"))}`);
    }
  };
  const finish = (status: Status): void => {
    const final = snapshot(status);
    if (view.live) view.flush(() => bundleOf(final));
    else if (terminal) process.stderr.write(`\r\x1b[2K${textLine(final)}\n`);
    else process.stderr.write(`${textLine(final)}\n`);
  };

  const children = list.map((item) => toTaskOrPromise(item));
  const tick = (ok: boolean): void => {
    done++;
    if (!ok) failed++;
    redraw();
  };
  for (const child of children) {
    if (child instanceof Task) child.addDoneCallback((task) => tick(task.outcome === "ok"));
    else child.then(() => tick(true), () => tick(false));
  }
  redraw();
  try {
    const results = await gather(...children);
    finish("done");
    return results as { -readonly [K in keyof I]: AwaitedResult<I[K]> };
  } catch (error) {
    finish("failed");
    throw error;
  }
}

/** `label  ██████████░░░░░░  7/10  70%  3.50/s  2.00 s` (and `  1 failed`) */
function textLine(s: Snapshot): string {
  const fraction = s.total === 0 ? 1 : s.done / s.total;
  const filled = Math.round(fraction * BAR_COLUMNS);
  const bar = "█".repeat(filled) + "░".repeat(BAR_COLUMNS - filled);
  return `${s.label}  ${bar}  ${figures(s).join("  ")}${s.failed > 0 ? `  ${s.failed} failed` : ""}`;
}

function figures(s: Snapshot): string[] {
  const percent = s.total === 0 ? 100 : Math.floor((s.done / s.total) * 100);
  const rate = s.elapsedMs > 0 ? formatRate((s.done / s.elapsedMs) * 1000) : "–";
  return [`${s.done}/${s.total}`, `${percent}%`, rate, formatDuration(s.elapsedMs)];
}

/** A rounded track with the finished share in blue (green when all done) and failures in red at its end. */
function bundleOf(s: Snapshot): MimeBundle {
  const share = (n: number): string => `${(s.total === 0 ? 100 : (n / s.total) * 100).toFixed(1)}%`;
  const okColor = s.status === "done" && s.failed === 0 ? "#10b981" : "#3b82f6";
  const html =
    `<div style="display:flex;align-items:center;gap:10px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:13px;line-height:20px">` +
    `<span style="font-weight:600">${esc(s.label)}</span>` +
    `<span style="flex:0 0 260px;display:flex;height:10px;border-radius:5px;background:rgba(128,128,128,0.25);overflow:hidden">` +
    `<span style="height:100%;width:${share(s.done - s.failed)};background:${okColor}"></span>` +
    (s.failed > 0 ? `<span style="height:100%;width:${share(s.failed)};background:#ef4444"></span>` : "") +
    `</span>` +
    `<span style="font-variant-numeric:tabular-nums;opacity:0.85">${figures(s).map(esc).join(" · ")}</span>` +
    (s.failed > 0 ? `<span style="color:#ef4444;font-weight:600">${s.failed} failed</span>` : "") +
    `</div>`;
  return { "text/plain": textLine(s), "text/html": html };
}
