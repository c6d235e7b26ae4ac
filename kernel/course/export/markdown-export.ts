// The Markdown format: one .md per lesson with its outputs; output images, attachments and local images go beside it in <lesson>_files/.
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { stripAnsi } from "../notebook/ansi.ts";
import { hasTag, joinText, type Cell, type MimeBundle, type Output } from "../notebook/types.ts";
import { OutputFolder, safeFileName } from "../output-folder.ts";
import type { Course, Lesson } from "./course-model.ts";
import { notebookLanguage, type Edition } from "./edition.ts";
import { IMAGE_EXTENSIONS, rewriteLocalImages, type LocalImage } from "./local-images.ts";
import { markdownHasRawHtml, renderMarkdown } from "./markdown.ts";
import { chooseMime, mergeStreams, withoutRepeatedResult } from "./output-html.ts";
import { sanitizeHtml, sanitizeSvgFile } from "./sanitize.ts";
import { courseForEdition } from "./site.ts";


/** A fence longer than any backtick run inside, so code containing ``` stays intact. */
function fenced(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, "")}\n${fence}`;
}

class LessonWriter {
  readonly files = new Map<string, Buffer | string>();
  /** Local image files already copied (absolute path -> link), so one file used twice is copied once. */
  readonly #copied = new Map<string, string>();
  constructor(readonly lesson: Lesson) {}

  get folder(): string {
    return `${this.lesson.name}_files`;
  }

  /** Records a file beside the .md under a safe, unused form of `wanted`, and returns its relative link. */
  asset(wanted: string, content: Buffer | string): string {
    const safe = safeFileName(wanted);
    const stem = basename(safe, extname(safe));
    let name = safe;
    for (let n = 2; this.files.has(name); n++) name = `${stem}-${n}${extname(safe)}`;
    this.files.set(name, content);
    return `${this.folder}/${encodeURIComponent(name)}`;
  }

  /** Copies an image file the lesson links from its own folder beside the .md (which is written elsewhere). */
  copy(image: LocalImage): string | undefined {
    const known = this.#copied.get(image.path);
    if (known) return known;
    let content: Buffer | string;
    try {
      content = readFileSync(image.path);
    } catch {
      return undefined; // unreadable: the link stays as the author wrote it, like the HTML export does
    }
    // An SVG file opened on its own runs its scripts, so a copy is sanitised like an output.
    if (image.mime === "image/svg+xml") content = sanitizeSvgFile(content.toString("utf8"));
    // Same-named files from different folders (img/a.png, a.png) must not overwrite each other: asset() renames.
    const link = this.asset(basename(image.path), content);
    this.#copied.set(image.path, link);
    return link;
  }

  bundle(data: MimeBundle, key: string): string {
    const mime = chooseMime(data);
    if (!mime) return "";
    const value = data[mime];
    const text = typeof value === "string" ? value : joinText(value);
    const extension = IMAGE_EXTENSIONS[mime];
    if (extension) {
      const content = mime === "image/svg+xml" ? sanitizeSvgFile(text) : Buffer.from(text, "base64");
      return `![output](${this.asset(`${key}.${extension}`, content)})`;
    }
    // Markdown a cell printed is as untrusted as its HTML: with raw HTML in it, it is written as sanitised HTML.
    if (mime === "text/markdown") return (markdownHasRawHtml(text) ? renderMarkdown(text) : text).trim();
    if (mime === "text/html") return sanitizeHtml(text).trim();
    if (mime === "text/plain" || mime === "text/latex") return fenced(stripAnsi(text), "text");
    return fenced(typeof value === "string" ? value : JSON.stringify(value, null, 2), "json");
  }

  outputs(outputs: readonly Output[], cellId: string): string {
    return withoutRepeatedResult(mergeStreams(outputs))
      .map((output, index) => {
        const key = `output_${cellId}_${index}`;
        switch (output.output_type) {
          case "stream":
            return fenced(stripAnsi(output.text), "text");
          case "error":
            return fenced(stripAnsi(output.traceback.join("\n") || `${output.ename}: ${output.evalue}`), "text");
          case "display_data":
          case "execute_result":
            return this.bundle(output.data, key);
        }
      })
      .filter(Boolean)
      .join("\n\n");
  }

  cell(cell: Cell, language: string): string {
    if (hasTag(cell, "remove-cell")) return "";
    if (cell.cell_type === "markdown") {
      let text = rewriteLocalImages(cell.source, this.lesson.folder, (image) => this.copy(image));
      text = text.replace(/\.ipynb(?=[)#?])/g, ".md");
      // Pasted images become files so the Markdown renders anywhere.
      for (const [name, bundle] of Object.entries(cell.attachments ?? {})) {
        const mime = Object.keys(bundle).find((m) => IMAGE_EXTENSIONS[m]);
        if (!mime) continue;
        const value = joinText(bundle[mime]);
        const path = this.asset(`${cell.id}-${name}`, mime === "image/svg+xml" ? sanitizeSvgFile(value) : Buffer.from(value, "base64"));
        text = text.split(`attachment:${name}`).join(path);
      }
      return details(text.trim(), hasTag(cell, "hide-cell") || hasTag(cell, "hide-input") ? "Show more" : undefined);
    }
    if (cell.cell_type === "raw") return "";
    const input = hasTag(cell, "remove-input") || !cell.source.trim() ? "" : details(fenced(cell.source, language), hasTag(cell, "hide-input") ? "Show code" : undefined);
    const outputs = hasTag(cell, "remove-output") ? "" : details(this.outputs(cell.outputs, cell.id), hasTag(cell, "hide-output") ? "Show output" : undefined);
    const body = [input, outputs].filter(Boolean).join("\n\n");
    return details(body, hasTag(cell, "hide-cell") ? "Show cell" : undefined);
  }

  render(): string {
    const language = notebookLanguage(this.lesson.notebook);
    return this.lesson.notebook.cells.map((cell) => this.cell(cell, language)).filter(Boolean).join("\n\n") + "\n";
  }
}

/** GitHub and most Markdown viewers render <details>, which is how hide-* tags stay collapsed. */
function details(body: string, summary: string | undefined): string {
  if (!body || !summary) return body;
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function writeEdition(course: Course, out: OutputFolder, dir: string | undefined): string[] {
  const at = (name: string) => (dir ? `${dir}/${name}` : name);
  const written: string[] = [];
  for (const lesson of course.lessons) {
    const writer = new LessonWriter(lesson);
    written.push(out.write(at(`${lesson.name}.md`), writer.render()));
    for (const [name, content] of writer.files) out.write(at(`${writer.folder}/${name}`), content);
  }
  const index = [`# ${course.title}`, "", ...(course.description ? [course.description, ""] : []), ...course.lessons.map((l) => `${l.number}. [${l.title}](${encodeURIComponent(l.name)}.md)${l.summary ? ` — ${l.summary}` : ""}`), ""].join("\n");
  return [out.write(at("index.md"), index), ...written];
}

/** Writes Markdown for each edition (in <edition>/ subfolders when there are two). */
export function writeMarkdown(course: Course, out: string, editions: readonly Edition[]): string[] {
  const folder = new OutputFolder(out);
  return editions.flatMap((edition) => writeEdition(courseForEdition(course, edition), folder, editions.length > 1 ? edition : undefined));
}
