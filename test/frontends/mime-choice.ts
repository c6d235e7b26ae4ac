// How each notebook front end picks one MIME type out of an output's bundle, written down from its source, so
// unit tests can check every rich output of the kernel against all of them at once. The JupyterLab browser
// test checks the JupyterLab model here against the real rendermime registry.

export type Bundle = Readonly<Record<string, unknown>>;

/**
 * JupyterLab 4.6 (@jupyterlab/rendermime lib/factories.js, plus @jupyterlab/json-extension at rank 0): lower
 * rank wins. An untrusted output (a saved notebook opened fresh) may only use safe renderers (OutputArea calls
 * preferredMimeType(data, trusted ? "any" : "ensure")); SVG and JavaScript are unsafe, HTML is safe because it
 * is sanitized.
 */
export const JUPYTERLAB_RENDERERS: ReadonlyArray<{ mimeTypes: readonly string[]; rank: number; safe: boolean }> = [
  { mimeTypes: ["application/json", "text/jsonl", "application/jsonl", "application/json-lines"], rank: 0, safe: true },
  { mimeTypes: ["text/html"], rank: 50, safe: true },
  { mimeTypes: ["text/markdown"], rank: 60, safe: true },
  { mimeTypes: ["text/latex"], rank: 70, safe: true },
  { mimeTypes: ["image/svg+xml"], rank: 80, safe: false },
  { mimeTypes: ["image/bmp", "image/png", "image/jpeg", "image/gif", "image/webp"], rank: 90, safe: true },
  { mimeTypes: ["text/javascript", "application/javascript"], rank: 110, safe: false },
  { mimeTypes: ["application/vnd.jupyter.stderr"], rank: 110, safe: true },
  { mimeTypes: ["text/plain", "application/vnd.jupyter.stdout"], rank: 120, safe: true },
];

export function jupyterLabChoice(bundle: Bundle, trusted: boolean): string | undefined {
  const ranked = JUPYTERLAB_RENDERERS.flatMap((renderer) => renderer.mimeTypes.map((mime) => ({ mime, ...renderer }))).sort((a, b) => a.rank - b.rank);
  const present = ranked.filter((entry) => entry.mime in bundle);
  return (trusted ? present[0] : present.find((entry) => entry.safe))?.mime;
}

/**
 * The classic Notebook 6 (notebook/static/notebook/js/outputarea.js, OutputArea.display_order). Untrusted HTML
 * and SVG are sanitized and shown; other unsafe types (JavaScript) are skipped. application/json has no place.
 */
export const CLASSIC_NOTEBOOK_ORDER = ["application/javascript", "text/html", "text/markdown", "text/latex", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"];

export function classicNotebookChoice(bundle: Bundle, trusted: boolean): string | undefined {
  return CLASSIC_NOTEBOOK_ORDER.find((mime) => mime in bundle && (trusted || mime !== "application/javascript"));
}

/** nbconvert (nbconvert/utils/base.py, NbConvertBase.display_data_priority), which its HTML export uses. */
export const NBCONVERT_ORDER = ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"];

export function nbconvertChoice(bundle: Bundle): string | undefined {
  return NBCONVERT_ORDER.find((mime) => mime in bundle);
}

/**
 * VS Code (extensions/ipynb/src/deserializers.ts, orderOfMimeTypes): the first item after sorting is shown.
 * `application/vnd.*` comes first, so any vendor type in a bundle wins there (and shows "no renderer" unless an
 * extension renders it); types not in the list sort last.
 */
export const VSCODE_ORDER = [
  "application/vnd.*",
  "application/vdom.*",
  "application/geo+json",
  "application/x-nteract-model-debug+json",
  "text/html",
  "application/javascript",
  "image/gif",
  "text/latex",
  "text/markdown",
  "image/png",
  "image/svg+xml",
  "image/jpeg",
  "application/json",
  "text/plain",
];

export function vscodeChoice(bundle: Bundle): string | undefined {
  const rank = (mime: string) => {
    const index = VSCODE_ORDER.findIndex((pattern) => (pattern.endsWith(".*") ? mime.startsWith(pattern.slice(0, -1)) : pattern === mime));
    return index === -1 ? VSCODE_ORDER.length : index;
  };
  return Object.keys(bundle).sort((a, b) => rank(a) - rank(b))[0];
}

/** jupyter console prints text/plain (and nothing else it cannot draw in a terminal). */
export function consoleChoice(bundle: Bundle): string | undefined {
  return "text/plain" in bundle ? "text/plain" : undefined;
}

/** Every front end's pick for one bundle, by name. */
export function choices(bundle: Bundle): Record<string, string | undefined> {
  return {
    "JupyterLab, untrusted (saved notebook opened fresh)": jupyterLabChoice(bundle, false),
    "JupyterLab, trusted (just run)": jupyterLabChoice(bundle, true),
    "classic Notebook, untrusted": classicNotebookChoice(bundle, false),
    "classic Notebook, trusted": classicNotebookChoice(bundle, true),
    "nbconvert HTML": nbconvertChoice(bundle),
    "VS Code": vscodeChoice(bundle),
    "jupyter console": consoleChoice(bundle),
  };
}
