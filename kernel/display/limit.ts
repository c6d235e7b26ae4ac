// The output size limit: one enormous output is cut to a readable head plus a note saying how much was left out.
//
// Policy (documented in the README by the lead):
// - Every text field of a MIME bundle (text/plain, text/html, text/markdown, text/latex) and every single
//   stream write is cut at OUTPUT_LIMIT_BYTES of UTF-8 (1 MB), with a note like `… [49.0 MB more not shown]`.
// - Other string fields (base64 images, SVG, ...) cannot be cut without breaking them: past
//   BINARY_OUTPUT_LIMIT_BYTES (20 MB) they are dropped and text/plain says so.
// - Streams: apply `truncate` to each write() before it is buffered, not to the coalesced buffer, so that 100k
//   small lines all arrive while one 50 MB write is cut.
// The front end would otherwise receive the whole thing, and JupyterLab freezes long before 50 MB of text.

/** Text outputs (and each stream write) are cut past this many UTF-8 bytes. 1 MB = 1,000,000 bytes. */
export const OUTPUT_LIMIT_BYTES = 1_000_000;
/** Non-text MIME fields (images, SVG, ...) larger than this are dropped, with a note in text/plain. */
export const BINARY_OUTPUT_LIMIT_BYTES = 20_000_000;

/** `1234` -> "1.2 KB"; decimal units, as disk sizes are shown. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}

/** The note appended to a cut text. */
export function omittedNote(bytes: number): string {
  return `… [${formatBytes(bytes)} more not shown]`;
}

/**
 * UTF-8 size of text, without encoding it when the answer is obvious: each UTF-16 unit is at most 3 bytes.
 */
function fitsIn(text: string, limit: number): boolean {
  if (text.length * 3 <= limit) return true;
  if (text.length > limit) return false;
  return Buffer.byteLength(text, "utf8") <= limit;
}

/**
 * The longest prefix of text (in UTF-16 units) whose UTF-8 encoding fits in `limit` bytes, never splitting a
 * surrogate pair.
 */
function prefixLength(text: string, limit: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    let size: number;
    let width = 1;
    if (unit < 0x80) size = 1;
    else if (unit < 0x800) size = 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        size = 4;
        width = 2;
      } else size = 3;
    } else size = 3;
    if (bytes + size > limit) break;
    bytes += size;
    i += width;
  }
  return i;
}

/**
 * Cuts text longer than `limit` UTF-8 bytes, ending it with a note saying how much was left out. The cut
 * prefers a line break in the last tenth of the kept part, so the last line shown is whole. Text within the
 * limit comes back unchanged (the same string).
 */
export function truncate(text: string, limit: number = OUTPUT_LIMIT_BYTES): string {
  if (fitsIn(text, limit)) return text;
  let keep = prefixLength(text, limit);
  const newline = text.lastIndexOf("\n", keep - 1);
  if (newline >= 0 && newline >= keep - Math.ceil(keep / 10)) keep = newline + 1;
  const head = text.slice(0, keep);
  const omitted = Buffer.byteLength(text, "utf8") - Buffer.byteLength(head, "utf8");
  return `${head}${head.endsWith("\n") ? "" : "\n"}${omittedNote(omitted)}`;
}

/** Whether a string is already within the limit (so callers can skip work). */
export function withinLimit(text: string, limit: number = OUTPUT_LIMIT_BYTES): boolean {
  return fitsIn(text, limit);
}
