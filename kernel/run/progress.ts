// Progress of `looplab run`: a live line (notebook, cell n/m, elapsed) on a terminal, one plain line per notebook otherwise.

export interface Progress {
  notebook(name: string): void;
  cell(number: number, total: number): void;
  /** Ends the current notebook with its summary line. */
  done(line: string): void;
  /** Prints a message (to stderr) above the live line. */
  note(text: string): void;
  stop(): void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Redraws one line in place every 200 ms so the elapsed time keeps moving while a long cell runs. */
class LiveProgress implements Progress {
  #name = "";
  #cell = "";
  #started = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly stream: NodeJS.WriteStream) {}

  #draw(): void {
    if (!this.#name) return;
    const line = `▶ ${this.#name}  ${this.#cell}  ${seconds(performance.now() - this.#started)}`;
    const width = this.stream.columns || 80;
    this.stream.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 2) + "…" : line}`);
  }

  notebook(name: string): void {
    this.#name = name;
    this.#cell = "starting kernel";
    this.#started = performance.now();
    this.#timer ??= setInterval(() => this.#draw(), 200);
    this.#timer.unref();
    this.#draw();
  }

  cell(number: number, total: number): void {
    this.#cell = `cell ${number}/${total}`;
    this.#draw();
  }

  note(text: string): void {
    this.stream.write("\r\x1b[2K");
    process.stderr.write(text.endsWith("\n") ? text : text + "\n");
    this.#draw();
  }

  done(line: string): void {
    this.#name = "";
    this.stream.write(`\r\x1b[2K${line}\n`);
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
  done(line: string): void {
    this.stream.write(line + "\n");
  }
  stop(): void {}
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  return stream.isTTY ? new LiveProgress(stream) : new PlainProgress(stream);
}

export { seconds };
