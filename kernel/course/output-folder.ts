// Writes files only inside one output folder: names that come from notebooks (attachments, outputs) never leave it.
import { closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

/** A file name a notebook asked for could not be written where it would have gone. */
export class UnsafePathError extends Error {
  override name = "UnsafePathError";
}

/** Characters no file name of ours carries: separators, NUL and controls, and those Windows forbids. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f/\\:*?"<>|]/g;

/**
 * One path component made from a name a notebook chose (an attachment's, say): separators and controls become
 * "_", leading dots go (no "..", no hidden files), and it is never empty or longer than a file system allows.
 */
export function safeFileName(name: string, fallback = "file"): string {
  let clean = name.normalize("NFC").replace(UNSAFE_CHARACTERS, "_").replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (Buffer.byteLength(clean) > 120) {
    // Keep the extension: it says what the file is to whoever opens the folder.
    const dot = clean.lastIndexOf(".");
    const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
    clean = Buffer.from(clean).subarray(0, 100).toString("utf8").replace(/\uFFFD+$/, "") + extension;
  }
  return clean || fallback;
}

/**
 * The folder everything of one export or run goes into. Paths given to it are relative, "/"-separated and made
 * of plain names; it creates folders as needed, never writes through a symbolic link found inside the folder
 * (a link in the source folder that was exported onto itself, or planted there), and never replaces a link's
 * target. The root itself may be a link: the user named it.
 */
export class OutputFolder {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    mkdirSync(this.root, { recursive: true });
  }

  /** The path `relative` names inside the folder; throws UnsafePathError for anything else. */
  resolve(relative: string): string {
    const parts = relative.split("/");
    for (const part of parts) {
      // Names we chose or took from real files pass; only what could step out (or name nothing) is refused.
      if (part === "" || part === "." || part === ".." || /[\u0000\\]/.test(part)) {
        throw new UnsafePathError(`refusing to write ${JSON.stringify(relative)}: not a plain path inside ${this.root}`);
      }
    }
    return join(this.root, ...parts);
  }

  /** Writes a file (creating its folders) and returns its path. */
  write(relative: string, content: string | Uint8Array): string {
    const path = this.resolve(relative);
    const parts = relative.split("/");
    let dir = this.root;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      this.#folder(dir);
    }
    let fd: number;
    try {
      // O_NOFOLLOW: a link sitting where the file goes makes the open fail instead of writing to its target.
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new UnsafePathError(`refusing to write through the symbolic link ${path}`);
      throw error;
    }
    try {
      const bytes = typeof content === "string" ? Buffer.from(content) : content;
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  /** Makes a folder inside the root (relative, as for write) and returns its path. */
  folder(relative: string): string {
    const path = this.resolve(relative);
    let dir = this.root;
    for (const part of relative.split("/")) this.#folder((dir = join(dir, part)));
    return path;
  }

  #folder(dir: string): void {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      mkdirSync(dir);
      return;
    }
    if (stat.isSymbolicLink()) throw new UnsafePathError(`refusing to write through the symbolic link ${dir}`);
    if (!stat.isDirectory()) throw new UnsafePathError(`${dir} is in the way: a folder must go there`);
  }
}
