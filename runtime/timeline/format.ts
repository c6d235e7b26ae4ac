// Numbers for people: durations, rates and the ticks of a time axis, shared by the SVG and text charts.

/** A duration in the unit a person would say: "0.4 ms", "120 ms", "2.00 s", "12.3 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 10) return `${trim(ms.toFixed(1))} ms`;
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** A count with thousands separators that do not depend on the host locale: 10000 -> "10,000". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Items per second, with sensible precision. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "0/s";
  if (perSecond >= 100) return `${formatCount(perSecond)}/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

/** One tick of a time axis: where (ms) and what to write there. */
export interface Tick {
  readonly at: number;
  readonly label: string;
}

/**
 * Round-numbered ticks from 0 to at least `totalMs`: steps of 1, 2 or 5 times a power of ten, about
 * `target` of them. Labels are in ms below one second of total, otherwise in seconds ("0", "0.5 s", "1 s").
 */
export function axisTicks(totalMs: number, target = 6): Tick[] {
  const total = totalMs > 0 ? totalMs : 1;
  const step = niceStep(total / target);
  const seconds = total >= 1000;
  const unit = seconds ? step / 1000 : step;
  const decimals = Math.max(0, -Math.floor(Math.log10(unit) + 1e-9));
  const ticks: Tick[] = [];
  // Integer multiples avoid floating-point drift (0.30000000000000004 s).
  for (let i = 0; i * step <= total * (1 + 1e-9); i++) {
    const at = i * step;
    const label = i === 0 ? "0" : seconds ? `${trim((at / 1000).toFixed(decimals))} s` : `${trim(at.toFixed(decimals))} ms`;
    ticks.push({ at, label });
  }
  return ticks;
}

/** The smallest of 1, 2, 5 x 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

function trim(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
