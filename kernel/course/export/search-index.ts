// The course's full-text search index, built at export time from the pages as one edition renders them.
import MiniSearch from "minisearch";
import type { Course } from "./course-model.ts";
import { renderCells } from "./page.ts";
import { SEARCH_OPTIONS, type SearchDoc } from "./search-options.ts";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** Visible text of a piece of page HTML: charts and styles dropped, tags removed, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<(svg|style|script)\b[\s\S]*?<\/\1>/gi, " ")
    // Highlighting wraps parts of one word in spans: inline tags join, block tags separate.
    .replace(/<\/?(?:span|a|em|strong|code|b|i|sub|sup)\b[^>]*>/gi, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (whole, name: string) => {
      if (ENTITIES[name]) return ENTITIES[name];
      if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return whole;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** A lesson's sections: the text before the first subheading belongs to the lesson's title. */
export function lessonSections(html: string): Array<{ slug: string; title: string; text: string }> {
  const parts = html.split(/(?=<h[1-3] id=")/);
  const sections: Array<{ slug: string; title: string; text: string }> = [];
  for (const part of parts) {
    const heading = /^<h[1-3] id="([^"]+)"[^>]*>([\s\S]*?)<\/h[1-3]>/.exec(part);
    const text = htmlText(heading ? part.slice(heading[0].length) : part);
    if (heading) sections.push({ slug: heading[1], title: htmlText(heading[2]), text });
    else if (sections.length > 0) sections.at(-1)!.text += ` ${text}`;
    else if (text) sections.push({ slug: "", title: "", text });
  }
  return sections;
}

/** The first words of a section, for the result list. */
function snippet(text: string): string {
  if (text.length <= 160) return text;
  return `${text.slice(0, 160).replace(/\s+\S*$/, "")} ...`;
}

/** Every section of every lesson of a course (already the edition's view), as documents to index. */
export function searchDocs(course: Course): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const lesson of course.lessons) {
    for (const section of lessonSections(renderCells(lesson).html)) {
      docs.push({
        id: docs.length,
        href: section.slug ? `${lesson.name}.html#${section.slug}` : `${lesson.name}.html`,
        lesson: `Lesson ${lesson.number}: ${lesson.shortTitle}`,
        section: !section.title || section.title === lesson.title ? lesson.shortTitle : section.title,
        text: section.text,
        snippet: snippet(section.text),
      });
    }
  }
  return docs;
}

/**
 * The index as a script that hands it to the page (`window.looplabSearchIndex`): pages opened from disk
 * (file://) cannot fetch a JSON file, but they can load a script beside them.
 */
export function searchIndexScript(course: Course): string {
  const index = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  index.addAll(searchDocs(course));
  // JSON is a JavaScript expression; "<" escaped so the text can never close a tag if inlined by someone.
  const json = JSON.stringify(JSON.stringify(index)).replace(/</g, "\\u003c");
  return `// The course's search index (MiniSearch), written by looplab export.\nwindow.looplabSearchIndex = ${json};\n`;
}
