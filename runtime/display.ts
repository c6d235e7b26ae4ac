// Live display from the runtime: finds the kernel's publisher, or does nothing in a plain Node script.
//
// The kernel installs `globalThis[Symbol.for("looplab.display")]` (display + update by display id) and routes
// each call to the cell whose async context made it. The runtime never imports the kernel: it looks the
// publisher up at call time, so a script that never runs in a kernel pays nothing and prints nothing.

import { randomUUID } from "node:crypto";

/** A MIME bundle: "text/plain" always, richer types when the renderer has them. */
export interface MimeBundle {
  readonly "text/plain": string;
  readonly [mime: string]: unknown;
}

/**
 * A bundle with per-type metadata (an image's display size), the `{ data, metadata }` form nbformat stores
 * and the kernel accepts wherever it takes a bundle.
 */
export interface DisplayBundle {
  readonly data: MimeBundle;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** What a live output draws: a plain bundle, or one with metadata. */
export type Drawable = MimeBundle | DisplayBundle;

/** The kernel's contract object (see the team contract "Live display from the runtime"). */
export interface DisplayPublisher {
  display(bundle: Drawable, options?: { displayId?: string }): void;
  update(displayId: string, bundle: Drawable): void;
}

const KEY = Symbol.for("looplab.display");

/** The kernel's publisher, if this process runs inside the kernel. */
export function displayPublisher(): DisplayPublisher | undefined {
  const candidate = (globalThis as Record<symbol, unknown>)[KEY] as Partial<DisplayPublisher> | undefined;
  return candidate && typeof candidate.display === "function" && typeof candidate.update === "function" ? (candidate as DisplayPublisher) : undefined;
}

/**
 * One output area that is shown once and then redrawn in place, at most `maxPerSecond` times a second:
 * the first `show` displays with a fresh display id, later ones update it. `flush` draws the latest bundle
 * now (the final, exact frame). Without a publisher every call is a no-op and `live` is false.
 */
export class LiveOutput {
  readonly displayId: string;
  readonly #publisher: DisplayPublisher | undefined;
  readonly #minGap: number;
  #shown = false;
  #lastDraw = -Infinity;
  #pending: (() => Drawable) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #around: (draw: () => void) => void;

  /** `around` wraps every draw (render and publish), e.g. to keep its cost out of a stall monitor. */
  constructor(maxPerSecond = 10, around: (draw: () => void) => void = (draw) => draw()) {
    this.#publisher = displayPublisher();
    this.#around = around;
    this.#minGap = 1000 / maxPerSecond;
    this.displayId = `looplab-${randomUUID()}`;
  }

  /** True when a kernel shows this output. */
  get live(): boolean {
    return this.#publisher !== undefined;
  }

  /** True once the output has been displayed. */
  get shown(): boolean {
    return this.#shown;
  }

  /**
   * Asks for a redraw with the bundle `render` will produce. The first call displays at once; later calls are
   * coalesced so that at most maxPerSecond draws happen (in real time), the last request always winning.
   * `render` runs only when a draw actually happens.
   */
  request(render: () => Drawable): void {
    if (!this.#publisher) return;
    this.#pending = render;
    if (!this.#shown) {
      this.#draw();
      return;
    }
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastDraw + this.#minGap - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, wait);
  }

  /** Draws the latest requested bundle now, if any is pending (or `render` if given), and stops the timer. */
  flush(render?: () => Drawable): void {
    if (!this.#publisher) return;
    if (render) this.#pending = render;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#draw();
  }

  #draw(): void {
    this.#around(() => this.#drawNow());
  }

  #drawNow(): void {
    const render = this.#pending;
    const publisher = this.#publisher;
    if (!render || !publisher) return;
    this.#pending = undefined;
    this.#lastDraw = performance.now();
    const bundle = render();
    if (!this.#shown) {
      this.#shown = true;
      publisher.display(bundle, { displayId: this.displayId });
    } else {
      publisher.update(this.displayId, bundle);
    }
  }
}
