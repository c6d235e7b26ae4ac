// Input history across kernel restarts (history_request: tail, range, search), kept in Jupyter's data dir.
//
// One append-only JSON Lines file, `<jupyter data dir>/looplab/history.jsonl`, shared by every LoopLab kernel
// of the user. Each line is an input `{"s":session,"l":line,"i":code}` or a later output `{"s","l","o"}`.
// Sessions are numbered across restarts: a kernel takes the highest session in the file plus one.
//
// Cost on the execute path is an array push, and records are written in batches by an unref'd timer. The
// session number comes from the file's last 64 KiB; the whole file is read only when a query first needs it,
// so a long history costs a kernel no memory until someone asks for it (JupyterLab never does).
// A file that does not parse is reported once, moved aside as `history.jsonl.corrupt-<time>`, and history
// starts fresh; an unreadable data dir leaves history in memory only. Neither ever fails a request.
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** `[session, line, input]`, or with output requested `[session, line, [input, output]]` (output may be null). */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

export interface HistoryOptions {
  /** The history file; defaults to `<jupyterDataDir()>/looplab/history.jsonl`. */
  file?: string;
  /** Told once about a corrupt or unusable history file. */
  onWarning?: (message: string) => void;
  /** How long appends wait to be written together (ms). */
  flushDelayMs?: number;
  /** The file is rewritten with the newest `keepEntries` once it holds more than `maxEntries`. */
  maxEntries?: number;
  keepEntries?: number;
}

/** Outputs kept in history are cut here: history is for finding code again, not for storing results. */
const MAX_OUTPUT_CHARS = 10_000;

interface Record {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

/** Jupyter's data directory, by jupyter_core's rules: JUPYTER_DATA_DIR, else the platform's user data dir. */
export function jupyterDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME || homedir();
  if (platform === "darwin") return join(home, "Library", "Jupyter");
  if (platform === "win32") return join(env.APPDATA || join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

/** The default history file. */
export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(jupyterDataDir(env), "looplab", "history.jsonl");
}

/** A glob as IPython's history search reads it (SQLite GLOB): `*`, `?`, `[abc]`, `[!abc]`, whole input, case-sensitive. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function parseRecord(text: string): { session: number; line: number; input?: string; output?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { s, l, i, o } = value as { s?: unknown; l?: unknown; i?: unknown; o?: unknown };
  if (!Number.isInteger(s) || !Number.isInteger(l)) return undefined;
  if (typeof i === "string") return { session: s as number, line: l as number, input: i };
  if (typeof o === "string") return { session: s as number, line: l as number, output: o };
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export class HistoryStore {
  readonly file: string;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #flushDelay: number;
  readonly #maxEntries: number;
  readonly #keepEntries: number;
  /** Earlier sessions' records, read from the file on first need. */
  #past: Record[] | undefined;
  /** This session's records, by line. */
  readonly #current = new Map<number, Record>();
  #session = 0;
  /** Lines waiting to be written, without their session number until it is known. */
  #pending: Array<{ line: number; input?: string; output?: string }> = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** The file ended without a newline (a crash mid-write): the next write starts a fresh line. */
  #needsNewline = false;
  #dirReady = false;
  /** The session number was taken from the file's tail; the full read keeps it. */
  #peeked = false;
  /** Set when the file cannot be used: history stays in memory. */
  #memoryOnly = false;
  #warning: string | undefined;

  constructor(options: HistoryOptions = {}) {
    this.file = options.file ?? defaultHistoryFile();
    this.#onWarning = options.onWarning;
    this.#flushDelay = options.flushDelayMs ?? 200;
    this.#maxEntries = options.maxEntries ?? 20_000;
    this.#keepEntries = options.keepEntries ?? 10_000;
  }

  /** The warning given about the file, if any (it is given once, through onWarning). */
  get warning(): string | undefined {
    return this.#warning;
  }

  /** This kernel's session number (reads the file the first time). */
  get session(): number {
    this.#peek();
    return this.#session;
  }

  /** Records cell `line`'s input for this session. Cheap: the write happens later, in a batch. */
  append(line: number, input: string): void {
    const record: Record = { session: 0, line, input, output: null };
    this.#current.set(line, record);
    this.#pending.push({ line, input });
    this.#schedule();
  }

  /** Records the text/plain result of cell `line` (history_request with output=true returns it). */
  setOutput(line: number, output: string): void {
    const record = this.#current.get(line);
    if (!record) return;
    const text = output.length > MAX_OUTPUT_CHARS ? output.slice(0, MAX_OUTPUT_CHARS) : output;
    record.output = text;
    this.#pending.push({ line, output: text });
    this.#schedule();
  }

  /** The last `n` inputs over all sessions, oldest first. */
  tail(n: number, output = false): HistoryEntry[] {
    if (!(n > 0)) return [];
    const all = this.#all();
    return all.slice(Math.max(0, all.length - Math.floor(n))).map((r) => this.#entry(r, output));
  }

  /**
   * Inputs `start <= line < stop` of one session (stop undefined: to the end). Session 0 is this one, negative
   * numbers count back from it (-1: the previous session), as in IPython.
   */
  range(session: number, start = 0, stop?: number, output = false): HistoryEntry[] {
    const current = this.session;
    const wanted = session <= 0 ? current + session : session;
    return this.#all()
      .filter((r) => r.session === wanted && r.line >= start && (stop === undefined || r.line < stop))
      .map((r) => this.#entry(r, output));
  }

  /**
   * Inputs matching a glob (whole input, `*` and `?`), the newest `n` of them (n <= 0: all), oldest first;
   * `unique` keeps only the newest occurrence of each input.
   */
  search(pattern: string, n = 0, unique = false, output = false): HistoryEntry[] {
    const glob = globToRegExp(pattern);
    const all = this.#all();
    const found: Record[] = [];
    const seen = new Set<string>();
    for (let i = all.length - 1; i >= 0; i--) {
      const record = all[i]!;
      if (!glob.test(record.input)) continue;
      if (unique) {
        if (seen.has(record.input)) continue;
        seen.add(record.input);
      }
      found.push(record);
      if (n > 0 && found.length >= n) break;
    }
    return found.reverse().map((r) => this.#entry(r, output));
  }

  /** Writes what is pending now, synchronously (for process exit). */
  flushSync(): void {
    this.#cancelTimer();
    const text = this.#takePending();
    if (!text) return;
    try {
      appendFileSync(this.file, text);
    } catch (error) {
      this.#giveUp(`could not write the history file ${this.file}: ${(error as Error).message}`);
    }
  }

  /** Writes what is pending and waits for every write to finish. */
  async close(): Promise<void> {
    this.#cancelTimer();
    this.#flush();
    await this.#writing;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  #entry(record: Record, output: boolean): HistoryEntry {
    return output ? [record.session, record.line, [record.input, record.output]] : [record.session, record.line, record.input];
  }

  /** Every record, earlier sessions then this one, each in line order. */
  #all(): Record[] {
    this.#load();
    const current = [...this.#current.values()].sort((a, b) => a.line - b.line);
    for (const record of current) record.session = this.#session;
    return this.#past!.concat(current);
  }

  #schedule(): void {
    if (this.#timer || this.#memoryOnly) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#flushDelay);
    this.#timer.unref();
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    const text = this.#takePending();
    if (!text) return;
    const file = this.file;
    this.#writing = this.#writing.then(() =>
      appendFile(file, text).catch((error: Error) => this.#giveUp(`could not write the history file ${file}: ${error.message}`)),
    );
  }

  /** The pending records as JSON Lines (with the session number), or "" when there is nothing to write. */
  #takePending(): string {
    if (this.#pending.length === 0) return "";
    this.#peek();
    if (this.#memoryOnly) {
      this.#pending = [];
      return "";
    }
    if (!this.#dirReady) {
      try {
        mkdirSync(dirname(this.file), { recursive: true });
        this.#dirReady = true;
      } catch (error) {
        this.#giveUp(`could not create ${dirname(this.file)}: ${(error as Error).message}`);
        this.#pending = [];
        return "";
      }
    }
    const s = this.#session;
    const lines = this.#pending.map(({ line, input, output }) =>
      JSON.stringify(input !== undefined ? { s, l: line, i: input } : { s, l: line, o: output }),
    );
    this.#pending = [];
    const prefix = this.#needsNewline ? "\n" : "";
    this.#needsNewline = false;
    return `${prefix}${lines.join("\n")}\n`;
  }

  /** The session number, and whether the file ends mid-line, from the file's last 64 KiB: cheap at any size. */
  #peek(): void {
    if (this.#past || this.#peeked) return;
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch (error) {
      // Missing or unreadable: the full read tells which, and gives session 1.
      this.#load();
      return;
    }
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const tail = Buffer.alloc(length);
      readSync(fd, tail, 0, length, size - length);
      const text = tail.toString("utf8");
      let maxSession = 0;
      for (const match of text.matchAll(/^\{"s":(\d+),/gm)) maxSession = Math.max(maxSession, Number(match[1]));
      this.#session = maxSession + 1;
      this.#needsNewline = size > 0 && !text.endsWith("\n");
      this.#peeked = true;
    } catch {
      this.#load();
    } finally {
      closeSync(fd);
    }
  }

  /** Reads earlier sessions once: the records for queries (and the session number, unless peeked). */
  #load(): void {
    if (this.#past) return;
    this.#past = [];
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") this.#giveUp(`could not read the history file ${this.file}: ${(error as Error).message}`);
      this.#session = 1;
      return;
    }
    const lines = text.split("\n");
    // A last line without its newline is a write cut short by a crash: skip it, and start the next write on a new line.
    if (lines[lines.length - 1] === "") lines.pop();
    else this.#needsNewline = true;
    // After a peek this session may have written records already: they are in #current, not the past.
    const own = this.#peeked ? this.#session : -1;
    const byKey = new Map<string, Record>();
    let maxSession = 0;
    for (let index = 0; index < lines.length; index++) {
      const textLine = lines[index]!;
      if (textLine.trim() === "") continue;
      const parsed = parseRecord(textLine);
      if (!parsed) {
        // One of our records cut short (a crash mid-write; the next kernel put a newline after it): skip it.
        if (textLine.startsWith('{"s":') && !isJson(textLine)) continue;
        this.#setAside(`line ${index + 1} is not a history record`);
        return;
      }
      maxSession = Math.max(maxSession, parsed.session);
      if (parsed.session === own) continue;
      const key = `${parsed.session}:${parsed.line}`;
      let record = byKey.get(key);
      if (!record) {
        record = { session: parsed.session, line: parsed.line, input: "", output: null };
        byKey.set(key, record);
      }
      if (parsed.input !== undefined) record.input = parsed.input;
      if (parsed.output !== undefined) record.output = parsed.output;
    }
    if (!this.#peeked) this.#session = maxSession + 1;
    this.#past = [...byKey.values()].sort((a, b) => a.session - b.session || a.line - b.line);
    if (this.#past.length > this.#maxEntries) this.#compact();
  }

  /** Keeps the newest records only, so the file (read at the first query) stays small. */
  #compact(): void {
    this.#past = this.#past!.slice(this.#past!.length - this.#keepEntries);
    const lines: string[] = [];
    // This session's records written so far live in #current: the rewritten file must keep them too.
    const current = [...this.#current.values()].map((r) => ({ ...r, session: this.#session }));
    for (const r of [...this.#past, ...current]) {
      lines.push(JSON.stringify({ s: r.session, l: r.line, i: r.input }));
      if (r.output !== null) lines.push(JSON.stringify({ s: r.session, l: r.line, o: r.output }));
    }
    const text = lines.join("\n");
    try {
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${text}\n`);
      renameSync(temporary, this.file);
      this.#needsNewline = false;
    } catch {
      // Compaction is an optimisation: a file that could not be rewritten is still a valid history.
    }
  }

  /** A corrupt file: move it aside (so nobody is warned about it again) and start fresh. */
  #setAside(reason: string): void {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    this.#session = 1;
    this.#past = [];
    this.#needsNewline = false;
    try {
      renameSync(this.file, aside);
      this.#warn(`looplab: the history file ${this.file} is corrupt (${reason}); it was moved to ${aside} and history starts fresh.`);
    } catch (error) {
      this.#giveUp(`the history file ${this.file} is corrupt (${reason}) and could not be moved aside: ${(error as Error).message}`);
    }
  }

  /** The file cannot be used: keep history in memory for this session. */
  #giveUp(reason: string): void {
    this.#memoryOnly = true;
    this.#pending = [];
    this.#past ??= [];
    if (this.#session === 0) this.#session = 1;
    this.#warn(`looplab: ${reason}; history is kept in memory for this session only.`);
  }

  #warn(message: string): void {
    if (this.#warning !== undefined) return;
    this.#warning = message;
    try {
      this.#onWarning?.(message);
    } catch {
      // A failing logger must not break history.
    }
  }
}
