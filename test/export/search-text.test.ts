// Properties of what the search index and the launch link make of arbitrary text: page text read back exactly,
// sections that keep every word, and launch links that stay inside their template whatever a lesson is called.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../kernel/course/export/html.ts";
import { launchUrl } from "../../kernel/course/export/launch-link.ts";
import { htmlText, lessonSections } from "../../kernel/course/export/search-index.ts";

const squashed = (text: string) => text.replace(/\s+/g, " ").trim();

describe("htmlText", () => {
  it("reads back any text the pages escaped, whitespace aside", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(htmlText(`<p>${escapeHtml(text)}</p>`)).toBe(squashed(text));
      }),
    );
  });

  it("joins a word that highlighting split into spans, and keeps block boundaries as spaces", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }), (parts) => {
        const highlighted = parts.map((part) => `<span class="hljs-x">${part}</span>`).join("");
        expect(htmlText(`<pre>${highlighted}</pre><p>next</p>`)).toBe(`${parts.join("")} next`);
      }),
    );
  });
});

describe("lessonSections", () => {
  it("splits at every heading and loses no word of the page", () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    const section = fc.record({ slug: word, title: word, body: fc.array(word, { maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), fc.uniqueArray(section, { selector: (s) => s.slug, maxLength: 6 }), (intro, sections) => {
        const html = `<p>${intro.join(" ")}</p>` + sections.map((s) => `<h2 id="${s.slug}">${s.title}</h2><p>${s.body.join(" ")}</p>`).join("");
        const found = lessonSections(html);
        const headed = found.filter((s) => s.slug);
        expect(headed.map((s) => [s.slug, s.title, s.text])).toEqual(sections.map((s) => [s.slug, s.title, s.body.join(" ")]));
        expect(found.flatMap((s) => [s.title, s.text]).join(" ").split(/\s+/).filter(Boolean)).toEqual([...intro, ...sections.flatMap((s) => [s.title, ...s.body])]);
      }),
    );
  });
});

describe("launchUrl", () => {
  it("fills the template with URL-encoded values, so no lesson name can leave its place in the link", () => {
    const link = { label: "Open", url: "https://hub.example.edu/hub/user-redirect/lab/tree/{edition}/{notebook}?lesson={lesson}" };
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom("student", "instructor"), (lesson, edition) => {
        const url = new URL(launchUrl(link, lesson, edition));
        expect(url.origin).toBe("https://hub.example.edu");
        expect(url.pathname).toBe(`/hub/user-redirect/lab/tree/${edition}/${encodeURIComponent(`${lesson}.ipynb`)}`);
        expect(url.searchParams.get("lesson")).toBe(lesson);
        expect([...url.searchParams.keys()]).toEqual(["lesson"]);
      }),
    );
  });
});
