// The course stylesheet, inlined into every page: readable type, light and dark themes, phone and print layouts.
// Colours are variables so the highlighting, ANSI and chrome themes switch together with prefers-color-scheme.

export const STYLESHEET = String.raw`
:root {
  --bg: #f6f5f1; --surface: #ffffff; --surface-2: #f0efe9; --text: #1c2230; --muted: #5b6475; --faint: #8a92a2;
  --border: #e2e0d8; --accent: #4f46e5; --accent-ink: #3730a3; --accent-soft: #eceafd;
  --code-bg: #fafaf7; --code-border: #e6e4dc; --out-bg: #ffffff;
  --stderr-bg: #fff6ed; --stderr-bar: #f59e0b; --error-bg: #fff1f1; --error-bar: #e5484d;
  --ok: #16794c; --ok-soft: #e4f5ec; --warn: #9a5b00; --warn-soft: #fdf0d8;
  --hl-keyword: #8839ef; --hl-string: #2f7d32; --hl-number: #c2410c; --hl-comment: #8b93a1; --hl-title: #1d4ed8;
  --hl-type: #b4235a; --hl-attr: #0e7490; --hl-meta: #6b7280; --hl-builtin: #a16207;
  --radius: 12px; --shadow: 0 1px 2px rgba(20, 24, 40, .05), 0 4px 16px rgba(20, 24, 40, .05);
  --font: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, "SF Mono", "Cascadia Code", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  color-scheme: light dark;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1117; --surface: #151a23; --surface-2: #1b2130; --text: #e4e7ee; --muted: #a0a8b8; --faint: #6f7888;
    --border: #262d3b; --accent: #8b8cf8; --accent-ink: #b4b5ff; --accent-soft: #23244a;
    --code-bg: #121722; --code-border: #252c3a; --out-bg: #151a23;
    --stderr-bg: #2a2112; --stderr-bar: #d99a1e; --error-bg: #2c1518; --error-bar: #f2555a;
    --ok: #5fd39a; --ok-soft: #12301f; --warn: #f3c06b; --warn-soft: #33270f;
    --hl-keyword: #c6a0f6; --hl-string: #a6da95; --hl-number: #f5a97f; --hl-comment: #7c8698; --hl-title: #8aadf4;
    --hl-type: #f5a0c0; --hl-attr: #7dc4e4; --hl-meta: #9aa3b5; --hl-builtin: #eed49f;
    --shadow: 0 1px 2px rgba(0, 0, 0, .3), 0 6px 20px rgba(0, 0, 0, .25);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; scroll-padding-top: 4.5rem; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.65 var(--font); -webkit-font-smoothing: antialiased; }
a { color: var(--accent); text-underline-offset: .18em; text-decoration-thickness: 1px; }
a:hover { color: var(--accent-ink); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; border-radius: 4px; }

/* Top bar */
.topbar { position: sticky; top: 0; z-index: 10; display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: .7rem max(1rem, calc((100vw - 60rem) / 2)); background: color-mix(in srgb, var(--bg) 86%, transparent);
  backdrop-filter: saturate(1.4) blur(10px); -webkit-backdrop-filter: saturate(1.4) blur(10px); border-bottom: 1px solid var(--border); }
.course-progress { position: absolute; left: 0; bottom: -1px; height: 2px; background: linear-gradient(90deg, #6366f1, #06b6d4); border-radius: 0 2px 2px 0; }
.brand { display: flex; align-items: center; gap: .55rem; min-width: 0; color: var(--text); text-decoration: none; font-weight: 650; letter-spacing: -.01em; }
.brand-mark { display: grid; place-items: center; flex: none; width: 1.9rem; height: 1.9rem; border-radius: 9px; color: #fff; font-size: 1.05rem;
  background: linear-gradient(135deg, #6366f1, #06b6d4); box-shadow: 0 2px 6px rgba(79, 70, 229, .35); }
.brand-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.topbar-end { display: flex; align-items: center; gap: .75rem; flex: none; font-size: .85rem; }
.edition { display: inline-block; padding: .12rem .6rem; border-radius: 999px; font-size: .75rem; font-weight: 650; letter-spacing: .02em; text-transform: uppercase; }
.edition-student { background: var(--ok-soft); color: var(--ok); }
.edition-instructor { background: var(--warn-soft); color: var(--warn); }
.edition-switch { color: var(--muted); text-decoration: none; }
.edition-switch:hover { color: var(--accent); text-decoration: underline; }

/* Page column */
.page { max-width: 48rem; margin: 0 auto; padding: 2.25rem 1.25rem 3rem; }
.eyebrow { margin: 0 0 .5rem; color: var(--accent); font-size: .8rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; }

/* Prose */
.prose { overflow-wrap: break-word; }
.prose h1, .prose h2, .prose h3, .prose h4 { line-height: 1.25; letter-spacing: -.015em; margin: 2rem 0 .75rem; }
.prose h1 { font-size: clamp(1.9rem, 1.4rem + 2.2vw, 2.6rem); margin-top: .25rem; letter-spacing: -.025em; }
.prose h2 { font-size: 1.5rem; padding-top: .5rem; }
.prose h3 { font-size: 1.2rem; }
.prose p, .prose ul, .prose ol, .prose blockquote, .prose table { margin: 0 0 1rem; }
.prose ul, .prose ol { padding-left: 1.4rem; }
.prose li + li { margin-top: .25rem; }
.prose blockquote { margin-left: 0; padding: .6rem 1rem; border-left: 4px solid var(--accent); background: var(--accent-soft); border-radius: 0 8px 8px 0; color: var(--text); }
.prose blockquote > :last-child { margin-bottom: 0; }
.prose code { font-family: var(--mono); font-size: .88em; padding: .12em .35em; border-radius: 5px; background: var(--surface-2); }
.prose pre { padding: .9rem 1rem; border: 1px solid var(--code-border); border-radius: 10px; background: var(--code-bg); overflow-x: auto; }
.prose pre code { padding: 0; background: none; font-size: .86rem; }
.prose img { max-width: 100%; height: auto; border-radius: 8px; }
.prose hr { border: 0; border-top: 1px solid var(--border); margin: 2rem 0; }
.prose table { display: block; width: max-content; max-width: 100%; overflow-x: auto; border-collapse: collapse; font-size: .93rem; }
.prose th, .prose td { padding: .45rem .8rem; border: 1px solid var(--border); text-align: left; }
.prose th { background: var(--surface-2); font-weight: 650; }
.prose tr:nth-child(even) td { background: color-mix(in srgb, var(--surface-2) 45%, transparent); }

/* Cells */
.notebook { display: flow-root; }
.cell { margin: 0 0 1.25rem; }
.text-cell > :first-child, .text-cell > details > :nth-child(2) { margin-top: 0; }
.code-cell { border: 1px solid var(--code-border); border-radius: var(--radius); background: var(--code-bg); box-shadow: var(--shadow); overflow: hidden; }
.cell-bar { display: flex; align-items: center; gap: .6rem; padding: .45rem .9rem 0; font: 600 .72rem/1.4 var(--mono); color: var(--faint); }
.prompt { letter-spacing: .02em; }
.badge { padding: .1rem .5rem; border-radius: 999px; font: 650 .7rem/1.5 var(--font); letter-spacing: .02em; }
.badge-exercise { background: var(--ok-soft); color: var(--ok); }
.badge-solution { background: var(--warn-soft); color: var(--warn); }
.badge-raises { background: var(--error-bg); color: var(--error-bar); }
pre.code { margin: 0; padding: .5rem .9rem .85rem; overflow-x: auto; font: .86rem/1.6 var(--mono); tab-size: 2; background: none; }
.code-cell.exercise { border: 2px dashed color-mix(in srgb, var(--ok) 55%, transparent); background: color-mix(in srgb, var(--ok-soft) 35%, var(--code-bg)); }
.code-cell.solution { border-left: 4px solid var(--warn); }
.text-cell.exercise { padding: .75rem 1rem; border: 2px dashed color-mix(in srgb, var(--ok) 55%, transparent); border-radius: var(--radius); }
.cell-outputs { border-top: 1px solid var(--code-border); background: var(--out-bg); padding: .6rem .9rem; display: grid; gap: .5rem; }
.cell-outputs > * { margin: 0; min-width: 0; }
.output.result { position: relative; }
.out-prompt { display: block; font: 600 .72rem/1.4 var(--mono); color: var(--accent); margin-bottom: .15rem; }
.out-text, .out-stream, .out-json, .out-error { margin: 0; font: .84rem/1.55 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; }
.out-json { white-space: pre; overflow-x: auto; }
.out-stderr { padding: .4rem .7rem; background: var(--stderr-bg); border-left: 3px solid var(--stderr-bar); border-radius: 0 6px 6px 0; }
.out-error { padding: .6rem .8rem; background: var(--error-bg); border-left: 3px solid var(--error-bar); border-radius: 0 6px 6px 0; white-space: pre; overflow-x: auto; }
.out-svg, .out-image, .out-html { overflow-x: auto; }
.out-svg svg { display: block; max-width: 100%; height: auto; }
.out-image img { display: block; max-width: 100%; height: auto; border-radius: 6px; }
.out-html table { border-collapse: collapse; font-size: .88rem; }
.out-html th, .out-html td { padding: .3rem .6rem; border: 1px solid var(--border); }
.out-markdown > :last-child { margin-bottom: 0; }
.out-note { color: var(--faint); font-size: .85rem; font-style: italic; }

/* hide-input / hide-output / hide-cell */
details.toggle > summary { cursor: pointer; list-style: none; display: flex; align-items: center; gap: .4rem; padding: .45rem .9rem; color: var(--muted); font-size: .85rem; font-weight: 600; user-select: none; }
details.toggle > summary::-webkit-details-marker { display: none; }
details.toggle > summary::before { content: "▸"; transition: transform .15s ease; }
details.toggle[open] > summary::before { transform: rotate(90deg); }
details.toggle > summary:hover { color: var(--accent); }
.cell-outputs + details.toggle, .cell-input + details.toggle { border-top: 1px solid var(--code-border); }
.text-cell details.toggle > summary { padding-left: 0; }

/* Syntax highlighting (highlight.js classes) */
.hljs-keyword, .hljs-selector-tag, .hljs-literal, .hljs-doctag { color: var(--hl-keyword); }
.hljs-string, .hljs-regexp, .hljs-template-tag, .hljs-addition { color: var(--hl-string); }
.hljs-number, .hljs-symbol, .hljs-bullet { color: var(--hl-number); }
.hljs-comment, .hljs-quote { color: var(--hl-comment); font-style: italic; }
.hljs-title, .hljs-title.function_, .hljs-section { color: var(--hl-title); }
.hljs-type, .hljs-title.class_, .hljs-class .hljs-title { color: var(--hl-type); }
.hljs-attr, .hljs-attribute, .hljs-property, .hljs-variable, .hljs-template-variable, .hljs-params { color: var(--hl-attr); }
.hljs-meta, .hljs-subst { color: var(--hl-meta); }
.hljs-built_in, .hljs-variable.language_ { color: var(--hl-builtin); }
.hljs-deletion { color: var(--error-bar); }
.hljs-punctuation, .hljs-operator { color: var(--muted); }
.hljs-emphasis { font-style: italic; } .hljs-strong { font-weight: 700; }

/* ANSI colours (ansi_up classes), tuned for both themes */
.ansi-black-fg { color: #3b4252; } .ansi-red-fg { color: #d1242f; } .ansi-green-fg { color: #1a7f37; } .ansi-yellow-fg { color: #9a6700; }
.ansi-blue-fg { color: #0969da; } .ansi-magenta-fg { color: #8250df; } .ansi-cyan-fg { color: #1b7c83; } .ansi-white-fg { color: #6e7781; }
.ansi-bright-black-fg { color: #6e7781; } .ansi-bright-red-fg { color: #e5484d; } .ansi-bright-green-fg { color: #2da44e; } .ansi-bright-yellow-fg { color: #bf8700; }
.ansi-bright-blue-fg { color: #218bff; } .ansi-bright-magenta-fg { color: #a475f9; } .ansi-bright-cyan-fg { color: #3192aa; } .ansi-bright-white-fg { color: #8c959f; }
.ansi-red-bg { background: #ffd8d3; } .ansi-green-bg { background: #d2f4dc; } .ansi-yellow-bg { background: #fff2c2; } .ansi-blue-bg { background: #dbeafe; }
@media screen and (prefers-color-scheme: dark) {
  .ansi-black-fg { color: #9aa3b5; } .ansi-red-fg { color: #ff7b72; } .ansi-green-fg { color: #7ee787; } .ansi-yellow-fg { color: #e3b341; }
  .ansi-blue-fg { color: #79c0ff; } .ansi-magenta-fg { color: #d2a8ff; } .ansi-cyan-fg { color: #76e3ea; } .ansi-white-fg { color: #c9d1d9; }
  .ansi-bright-red-fg { color: #ffa198; } .ansi-bright-green-fg { color: #56d364; } .ansi-bright-yellow-fg { color: #f8e3a1; } .ansi-bright-blue-fg { color: #a5d6ff; }
  .ansi-red-bg { background: #5c1e1e; } .ansi-green-bg { background: #1b4325; } .ansi-yellow-bg { background: #4d3b0c; } .ansi-blue-bg { background: #1c3557; }
}

/* Previous / next */
.pager { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 3rem; }
.pager-link { display: flex; flex-direction: column; gap: .2rem; padding: 1rem 1.1rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); text-decoration: none; box-shadow: var(--shadow); transition: border-color .15s, transform .15s; }
.pager-link:hover { border-color: var(--accent); transform: translateY(-1px); }
.pager-next { text-align: right; grid-column: 2; }
.pager-label { color: var(--muted); font-size: .8rem; font-weight: 600; }
.pager-title { color: var(--text); font-weight: 650; line-height: 1.35; }

/* Home pages */
.hero { padding: 1.5rem 0 1.75rem; }
.hero h1 { margin: 0; font-size: clamp(2rem, 1.4rem + 3vw, 3.1rem); line-height: 1.1; letter-spacing: -.03em;
  background: linear-gradient(120deg, var(--text) 30%, var(--accent)); -webkit-background-clip: text; background-clip: text; color: transparent; }
.lede { margin: .9rem 0 0; max-width: 38rem; color: var(--muted); font-size: 1.15rem; }
.section-title { margin: 2.5rem 0 1rem; font-size: 1.15rem; letter-spacing: -.01em; }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: .85rem; }
.card { position: relative; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); box-shadow: var(--shadow); transition: border-color .15s, transform .15s; }
.card:hover { border-color: var(--accent); transform: translateY(-1px); }
.card-link { display: flex; gap: 1rem; padding: 1.05rem 1.2rem; color: inherit; text-decoration: none; }
.card-number { flex: none; display: grid; place-items: center; width: 2.6rem; height: 2.6rem; border-radius: 10px; background: var(--accent-soft); color: var(--accent-ink); font: 700 .95rem/1 var(--mono); }
.card-body { display: flex; flex-direction: column; gap: .25rem; min-width: 0; }
.card-title { font-weight: 650; font-size: 1.08rem; line-height: 1.35; }
.card-summary { color: var(--muted); font-size: .94rem; line-height: 1.5; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; line-clamp: 3; overflow: hidden; }
.card-aside { position: absolute; top: .85rem; right: 1rem; font-size: .75rem; color: var(--faint); text-decoration: none; }
.card-aside:hover { color: var(--accent); text-decoration: underline; }
.card:has(.card-aside) .card-link { padding-right: 7.5rem; }
.editions { display: grid; grid-template-columns: 1fr 1fr; gap: .9rem; }
.edition-card { display: flex; flex-direction: column; gap: .4rem; padding: 1.2rem; border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); box-shadow: var(--shadow); color: inherit; text-decoration: none; transition: border-color .15s, transform .15s; }
.edition-card:hover { border-color: var(--accent); transform: translateY(-1px); color: inherit; }
.edition-card .edition { align-self: flex-start; }
.edition-card-title { font-weight: 700; font-size: 1.15rem; }

.site-footer { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; color: var(--faint); font-size: .85rem; border-top: 1px solid var(--border); }

/* Wide screens: code cells step out of the text column, so long lines need less scrolling */
@media (min-width: 1100px) {
  .code-cell { margin-left: -4rem; margin-right: -4rem; }
}

/* Course sidebar: search, lessons, the current lesson's sections. A block above the text on narrow screens. */
.sidebar { max-width: 48rem; margin: 0 auto; padding: 1.25rem 1.25rem 0; font-size: .9rem; }
.search { display: none; position: relative; margin: 0 0 .75rem; }
.search-ready .search { display: block; }
.search input { width: 100%; padding: .55rem .8rem; border: 1px solid var(--border); border-radius: 9px; background: var(--surface); color: var(--text); font: inherit; }
.search input:focus { outline: 2px solid var(--accent); outline-offset: 0; border-color: transparent; }
.search-results { list-style: none; margin: .35rem 0 0; padding: .3rem; border: 1px solid var(--border); border-radius: 10px; background: var(--surface); box-shadow: var(--shadow); max-height: 70vh; overflow-y: auto; position: absolute; left: 0; right: 0; z-index: 20; }
.search-results[hidden] { display: none; }
.search-hit { display: flex; flex-direction: column; gap: .1rem; padding: .45rem .6rem; border-radius: 7px; color: var(--text); text-decoration: none; }
.search-hit:hover, .search-hit:focus, .search-hit.active { background: var(--accent-soft); color: var(--text); }
.search-hit-title { font-weight: 650; color: var(--accent-ink); line-height: 1.35; }
.search-hit-lesson { color: var(--faint); font-size: .75rem; font-weight: 600; letter-spacing: .02em; }
.search-hit-snippet { color: var(--muted); font-size: .82rem; line-height: 1.4; overflow: hidden; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
.search-none { padding: .45rem .6rem; color: var(--muted); }
.home .search { max-width: 32rem; margin-bottom: 1.5rem; }
.sidebar-contents { border: 1px solid var(--border); border-radius: 10px; background: var(--surface); }
.sidebar-contents > summary { cursor: pointer; padding: .55rem .8rem; font-weight: 650; display: flex; justify-content: space-between; gap: .5rem; }
.sidebar-where { color: var(--faint); font-weight: 500; }
.sidebar-contents nav { padding: 0 .5rem .5rem; }
.sidebar-lessons, .sidebar-sections { list-style: none; margin: 0; padding: 0; }
.sidebar-lessons a { display: flex; gap: .5rem; padding: .3rem .45rem; border-radius: 7px; color: var(--muted); text-decoration: none; line-height: 1.35; }
.sidebar-lessons a:hover { color: var(--accent); background: var(--surface-2); }
.sidebar-lessons a[aria-current="page"] { color: var(--text); font-weight: 650; background: var(--accent-soft); }
.sidebar-number { flex: none; min-width: 1.4rem; color: var(--faint); font: 600 .8rem/1.6 var(--mono); text-align: right; }
.sidebar-sections { margin: .15rem 0 .4rem 2.35rem; border-left: 1px solid var(--border); }
.sidebar-sections a { padding: .2rem .6rem; font-size: .84rem; border-radius: 0 6px 6px 0; }
.lesson-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1.25rem; font-size: .85rem; }
.action { display: inline-block; padding: .3rem .75rem; border: 1px solid var(--border); border-radius: 999px; background: var(--surface); color: var(--text); text-decoration: none; }
.action:hover { border-color: var(--accent); color: var(--accent); }
.publish-note { margin: 1.25rem 0 0; padding: .8rem 1rem; border-left: 4px solid var(--ok); background: var(--ok-soft); border-radius: 0 8px 8px 0; font-size: .93rem; }
@media (min-width: 1100px) {
  .with-sidebar { padding-left: 17rem; }
  .sidebar { position: fixed; top: 3.4rem; left: 0; bottom: 0; z-index: 5; width: 17rem; max-width: none; padding: 1.25rem 1rem 2rem; overflow-y: auto; border-right: 1px solid var(--border); background: var(--bg); }
  /* The footer lines up with the text column, beside the sidebar rather than under it. */
  .with-sidebar + .site-footer { margin-left: calc(17rem + (100vw - 17rem - 48rem) / 2); }
  .sidebar-contents { border: 0; background: none; }
  .sidebar-contents > summary { display: none; }
  .sidebar-contents nav { padding: 0; }
  @supports selector(::details-content) {
    .sidebar-contents::details-content { content-visibility: visible; display: block; }
  }
  .with-sidebar .code-cell { margin-left: -2rem; margin-right: -2rem; }
}
@media (min-width: 1300px) {
  .with-sidebar .code-cell { margin-left: -4rem; margin-right: -4rem; }
}

/* Phones */
@media (max-width: 640px) {
  body { font-size: 15.5px; }
  .page { padding: 1.5rem 1rem 2.5rem; }
  .topbar { padding: .6rem 1rem; }
  .edition-switch { display: none; }
  .code-cell { border-radius: 10px; margin-left: -.25rem; margin-right: -.25rem; }
  pre.code { font-size: .8rem; padding: .45rem .75rem .75rem; }
  .cell-outputs { padding: .55rem .75rem; }
  .pager, .editions { grid-template-columns: 1fr; }
  .pager-next { grid-column: 1; }
  .pager-gap { display: none; }
  .card-link { padding: .9rem 1rem; gap: .8rem; }
  .card:has(.card-aside) .card-link { padding-right: 1rem; padding-bottom: 2rem; }
  .card-aside { top: auto; bottom: .7rem; right: 1rem; }
  .card-number { width: 2.2rem; height: 2.2rem; font-size: .85rem; }
  .sidebar { padding: 1rem 1rem 0; }
}

/* Print: paper colours, no chrome, cells never split across pages when avoidable */
@media print {
  :root { --bg: #fff; --surface: #fff; --code-bg: #fafafa; --out-bg: #fff; --text: #111; --shadow: none; color-scheme: light; }
  body { font-size: 11pt; background: #fff; color: #111; }
  .topbar, .pager, .site-footer, .edition-switch, .card-aside, .sidebar, .search, .lesson-actions, .publish-note { display: none !important; }
  .with-sidebar { padding: 0; }
  .page { max-width: none; padding: 0; }
  .code-cell, .pager-link, .card { box-shadow: none; }
  /* A long cell may start at the foot of a page; its code, and each chart, stay whole. */
  .pager-link, .card { break-inside: avoid; }
  .cell-input, .out-svg, .out-image, figure { break-inside: avoid; }
  .prose h1, .prose h2, .prose h3 { break-after: avoid; }
  pre.code, .out-stream, .out-error, .out-json { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
  /* hide-input / hide-output / hide-cell: paper cannot be clicked open, so it shows what the screen keeps one
     click away. Where ::details-content is unknown the summary stays, so a hidden cell still leaves a trace. */
  @supports selector(::details-content) {
    details.toggle::details-content { content-visibility: visible; display: block; }
    details.toggle > summary { display: none; }
  }
  a { color: inherit; }
  .hero h1 { color: #111; background: none; }
  /* The whole-course PDF: every lesson starts on a new sheet, after a title page. */
  .book-lesson { break-before: page; }
  .book-title h1 { font-size: 26pt; margin: 30vh 0 .5rem; }
  .book-contents { margin-top: 2rem; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
