// The page shell every exported page shares: document head with the inline stylesheet, the top bar and the footer.
import type { Edition } from "./edition.ts";
import { html, raw } from "./html.ts";
import { STYLESHEET } from "./style.ts";

export interface DocumentParts {
  title: string;
  description?: string;
  body: string;
  /** External scripts beside the page, loaded deferred (never inline: the pages' CSP forbids inline script). */
  scripts?: readonly string[];
}

/** A full HTML document; the CSS is inline so the page works from a USB stick with no network. */
export function document({ title, description, body, scripts = [] }: DocumentParts): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="LoopLab">
${description ? html`<meta name="description" content="${description}">` : ""}
<title>${title}</title>
<style>${raw(STYLESHEET)}</style>
${scripts.map((src) => html`<script src="${src}" defer></script>
`)}</head>
<body>
${raw(body)}
</body>
</html>
`.html;
}

/** The sticky bar: course title home link, which edition this is, and a switch to the other one. */
export function topbar(
  courseTitle: string,
  home: string,
  edition: Edition | undefined,
  other?: { href: string; label: string } | "" | undefined,
  progress?: number,
): string {
  // How far through the course this page is, as a thin line along the bar's bottom edge.
  const line = progress === undefined ? "" : html`<span class="course-progress" style="width: ${(progress * 100).toFixed(1)}%" aria-hidden="true"></span>`;
  return html`<header class="topbar">${line}
  <a class="brand" href="${home}"><span class="brand-mark" aria-hidden="true">⟳</span><span class="brand-title">${courseTitle}</span></a>
  <span class="topbar-end">
    ${edition ? html`<span class="edition edition-${edition}">${edition === "student" ? "Student" : "Instructor"}</span>` : ""}
    ${other ? html`<a class="edition-switch" href="${other.href}">${other.label}</a>` : ""}
  </span>
</header>`.html;
}

/** The footer of every page; `landing` links the course's landing page when the editions live in subfolders. */
export function footer(landing?: string): string {
  return html`<footer class="site-footer"><p>Exported with LoopLab${landing ? html` · <a href="${landing}">Course home</a>` : ""}.</p></footer>`.html;
}
