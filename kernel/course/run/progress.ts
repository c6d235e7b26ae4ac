// Progress of `looplab run`: a live line (notebook, cell n/m, elapsed) on a terminal, one plain line per notebook otherwise.

export interface Progress {
  /** A notebook starts (its kernel is starting). */
  notebook(name: string): void;
  /** `name` is about to run code cell `number` of `total`. */
  cell(name: string, number: number, total: number): void;
  /** `name` finished; `line` is its summary. */
  done(name: string, line: string): void;
  /** Prints a message (to stderr) above the live line. */
  note(text: string): void;
  stop(): void;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

interface Running {
  cell: string;
  started: number;
}

/** Redraws one line in place every 200 ms so the elapsed time keeps moving while a long cell runs. */
class LiveProgress implements Progress {
  readonly #running = new Map<string, Running>();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly stream: NodeJS.WriteStream) {}

  #draw(): void {
    if (this.#running.size === 0) return;
    const now = performance.now();
    const parts = [...this.#running].map(([name, r]) => `${name}  ${r.cell}  ${seconds(now - r.started)}`);
    const line = `▶ ${parts.join("  │  ")}`;
    const width = this.stream.columns || 80;
    this.stream.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 2) + "…" : line}`);
  }

  notebook(name: string): void {
    this.#running.set(name, { cell: "starting kernel", started: performance.now() });
    this.#timer ??= setInterval(() => this.#draw(), 200);
    this.#timer.unref();
    this.#draw();
  }

  cell(name: string, number: number, total: number): void {
    const running = this.#running.get(name);
    if (running) running.cell = `cell ${number}/${total}`;
    this.#draw();
  }

  note(text: string): void {
    this.stream.write("\r\x1b[2K");
    process.stderr.write(text.endsWith("\n") ? text : text + "\n");
    this.#draw();
  }

  done(name: string, line: string): void {
    this.#running.delete(name);
    this.stream.write(`\r\x1b[2K${line}\n`);
    this.#draw();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

class PlainProgress implements Progress {
  constructor(readonly stream: NodeJS.WritableStream) {}
  notebook(): void {}
  cell(): void {}
  note(text: string): void {
    process.stderr.write(text.endsWith("\n") ? text : text + "\n");
  }
  done(_name: string, line: string): void {
    this.stream.write(line + "\n");
  }
  stop(): void {}
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  return stream.isTTY ? new LiveProgress(stream) : new PlainProgress(stream);
}
