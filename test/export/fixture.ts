// A small generated course (three lessons) that exercises every output type and tag the exporter handles.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type Json = Record<string, unknown>;
let counter = 0;

export function markdown(source: string, tags: string[] = [], extra: Json = {}): Json {
  return { cell_type: "markdown", id: `md-${++counter}`, metadata: tags.length ? { tags } : {}, source, ...extra };
}

export function code(source: string, outputs: Json[] = [], tags: string[] = [], count: number | null = ++counter): Json {
  return { cell_type: "code", id: `code-${++counter}`, metadata: tags.length ? { tags } : {}, source: source.split(/(?<=\n)/), execution_count: count, outputs };
}

export const stream = (name: "stdout" | "stderr", text: string): Json => ({ output_type: "stream", name, text: text.split(/(?<=\n)/) });
export const display = (data: Json, metadata: Json = {}): Json => ({ output_type: "display_data", data, metadata });
export const result = (count: number, data: Json): Json => ({ output_type: "execute_result", execution_count: count, data, metadata: {} });
export const error = (ename: string, evalue: string, traceback: string[]): Json => ({ output_type: "error", ename, evalue, traceback });

/** A timeline like the runtime draws: three task bars, with a gradient whose id must not clash on the page. */
export const TIMELINE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 150" width="640" height="150" role="img" aria-label="timeline">
<defs><linearGradient id="bar"><stop offset="0" stop-color="#6366f1"/><stop offset="1" stop-color="#06b6d4"/></linearGradient></defs>
<script>alert("svg script")</script>
<rect x="0" y="0" width="640" height="150" fill="#f8fafc" rx="8" onclick="alert('click')"/>
<text x="12" y="34" font-family="sans-serif" font-size="13" fill="#334155">download-1</text>
<rect class="timeline-bar" x="110" y="20" width="480" height="20" rx="4" fill="url(#bar)"/>
<text x="12" y="74" font-family="sans-serif" font-size="13" fill="#334155">download-2</text>
<rect class="timeline-bar" x="110" y="60" width="470" height="20" rx="4" fill="url(#bar)"/>
<text x="12" y="114" font-family="sans-serif" font-size="13" fill="#334155">download-3</text>
<rect class="timeline-bar" x="110" y="100" width="490" height="20" rx="4" fill="url(#bar)"/>
<a href="javascript:alert(1)"><text x="560" y="145" font-size="10">x</text></a>
</svg>`;

/** 1x1 red PNG. */
export const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

const RED = "\u001b[0;31m";
const GREEN = "\u001b[0;32m";
const RESET = "\u001b[0m";

export const metadata = {
  kernelspec: { name: "looplab", display_name: "TypeScript (LoopLab)", language: "typescript" },
  language_info: { name: "typescript", mimetype: "text/typescript", file_extension: ".ts", pygments_lexer: "typescript", codemirror_mode: "text/typescript", version: "5.9" },
};

export function notebook(cells: Json[]): Json {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

export const LESSONS: Record<string, Json> = {
  "01-why-async.ipynb": notebook([
    markdown("# Why async?\n\nThree downloads, one after another and then **all at once**.\n\nMore text follows."),
    code('import { sleep, gather, timeline } from "looplab";\nconst started = performance.now();', [], [], 1),
    markdown("## One after another\n\nFirst the slow way."),
    code("console.log('starting');\nconsole.log('done');", [stream("stdout", "starting\n"), stream("stdout", "done\n")], [], 2),
    code("console.error('careful')", [stream("stderr", "careful\n")], [], 3),
    code("await timeline(() => gather(a(), b(), c()))", [
      display({ "image/svg+xml": TIMELINE_SVG.split(/(?<=\n)/), "text/plain": ["<Timeline 3 tasks>"] }),
      // The same chart again as the cell's value: shown once on the page.
      result(4, { "image/svg+xml": TIMELINE_SVG.split(/(?<=\n)/), "text/plain": ["<Timeline 3 tasks>"] }),
    ], [], 4),
    code("1 + 1", [result(5, { "text/plain": ["2"] })], [], 5),
    markdown("## All at once\n\nThen together."),
    markdown("| task | seconds |\n|---|---|\n| sequential | 6.0 |\n| concurrent | 2.0 |\n\nSee [the next lesson](02-tasks.ipynb).\n\n<b onclick=\"alert(1)\">bold html</b> <script>alert('md')</script>"),
    code("throw new Error('boom')", [error("Error", "boom", [`${RED}Error${RESET}: boom`, `${GREEN}Cell In[6], line 1${RESET}`])], ["raises-exception"], 6),
  ]),
  "02-tasks.ipynb": notebook([
    markdown("# Tasks and gather\n\nStart work in the background, await it later."),
    code("display.html('<em>rich</em>')", [display({ "text/html": ["<em>rich</em> <img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==\" onerror=\"alert(1)\">"], "text/plain": ["rich"] })], [], 1),
    code("display.markdown('**md**')", [display({ "text/markdown": ["**markdown output**"], "text/plain": ["md"] })], [], 2),
    code("display.json({ a: 1 })", [display({ "application/json": { answer: 42, list: [1, 2] }, "text/plain": ["{ answer: 42 }"] })], [], 3),
    code("display.png(bytes)", [display({ "image/png": PNG, "text/plain": ["a red dot"] }, { "image/png": { width: 24, height: 24 } })], [], 4),
    code("display.jpeg(bytes)", [display({ "image/jpeg": "/9j/4AAQSkZJRgABAQ==", "text/plain": ["jpeg"] })], [], 5),
    code("const secret = 'setup only'", [], ["remove-cell"], 6),
    code("const hiddenInput = 'x'; hiddenInput", [result(7, { "text/plain": ["'hidden-input-result'"] })], ["hide-input"], 7),
    code("console.log('hidden output')", [stream("stdout", "hidden-output-text\n")], ["hide-output"], 8),
    code("const removedInputMarker = 1; console.log('only output')", [stream("stdout", "removed-input-output\n")], ["remove-input"], 9),
    code("console.log('removed output marker')", [stream("stdout", "removed-output-text\n")], ["remove-output"], 10),
    markdown("## Exercise\n\nGather three sleeps and print the elapsed time."),
    code("const solutionMarker = await gather(sleep(1), sleep(2));\nconsole.log(solutionMarker)", [stream("stdout", "solution-output-text\n")], ["solution"], 11),
  ]),
  "03-queues.ipynb": notebook([
    markdown("Intro before the heading.\n\n# Queues\n\nProducers and consumers share a queue."),
    markdown("Pasted: ![dot](attachment:dot.png) and from disk: ![diagram](diagram.svg)", [], { attachments: { "dot.png": { "image/png": PNG } } }),
    code("const q = new Queue<number>()", [], [], 1),
  ]),
};

/** Writes the fixture course into `dir/notebooks` (with course.json) and returns that folder. */
export function writeCourse(dir: string, lessons: Record<string, Json> = LESSONS): string {
  const folder = join(dir, "notebooks");
  mkdirSync(folder, { recursive: true });
  for (const [name, nb] of Object.entries(lessons)) writeFileSync(join(folder, name), JSON.stringify(nb, null, 1));
  writeFileSync(join(folder, "diagram.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>');
  writeFileSync(join(folder, "course.json"), JSON.stringify({ title: "Async TypeScript", description: "Concurrency you can see." }));
  return folder;
}
