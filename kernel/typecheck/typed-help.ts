// Completion and Shift+Tab with the checker's types, merged with the live-object answers of kernel/introspect/.
import { splitMagics } from "../compile/magics.ts";
import type { CompleteReply, MatchType } from "../introspect/complete.ts";
import { codePointIndex, lexicalPlace, unitIndex } from "../introspect/expression.ts";
import type { InspectReply } from "../introspect/inspect.ts";
import type { Checker } from "./checker.ts";

/** How long a request waits for the checker (a cold one answers later; the live answer goes out meanwhile). */
const WAIT_MS = 1500;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Where types have nothing to add: magics, module names in quotes, comments and other strings. */
function liveOnly(code: string, cursor: number, live: CompleteReply): boolean {
  const kind = live.metadata._jupyter_types_experimental?.[0]?.type;
  if (kind === "magic" || kind === "module" || kind === "path") return true;
  return lexicalPlace(code.slice(0, cursor)).kind !== "code";
}

/** Typed members first (the checker's order: locals, then members, then globals), then what only the live scope has. */
export async function typedComplete(checker: Checker, code: string, cursorPos: number, live: CompleteReply): Promise<CompleteReply> {
  const cursor = unitIndex(code, cursorPos);
  if (liveOnly(code, cursor, live)) return live;
  const typed = await within(checker.complete(splitMagics(code).body, cursor), WAIT_MS);
  if (!typed || typed.matches.length === 0) return live;
  const start = codePointIndex(code, typed.start);
  const items: Array<{ text: string; type: string; signature?: string }> = [...typed.matches];
  const seen = new Set(items.map((m) => m.text));
  if (start === live.cursor_start) {
    for (const item of live.metadata._jupyter_types_experimental ?? []) if (!seen.has(item.text)) items.push({ text: item.text, type: item.type });
  }
  const end = live.cursor_end;
  return {
    matches: items.map((m) => m.text),
    cursor_start: start,
    cursor_end: end,
    metadata: {
      _jupyter_types_experimental: items.map((m) => ({ start, end, text: m.text, type: m.type as MatchType, ...(m.signature ? { signature: m.signature } : {}) })),
    },
  };
}

/** The type (and JSDoc) the checker knows for the name under the cursor, above the live value's preview. */
export async function typedInspect(checker: Checker, code: string, cursorPos: number, live: InspectReply): Promise<InspectReply> {
  const cursor = unitIndex(code, cursorPos);
  if (lexicalPlace(code.slice(0, cursor)).kind === "comment") return live;
  const typed = await within(checker.inspect(splitMagics(code).body, cursor), WAIT_MS);
  if (!typed?.found) return live;
  const plain = [typed.signature, typed.documentation].filter(Boolean).join("\n\n");
  const markdown = ["```ts\n" + typed.signature + "\n```", typed.documentation].filter(Boolean).join("\n\n");
  return {
    found: true,
    data: {
      "text/plain": live.found ? `${plain}\n\n${live.data["text/plain"]}` : plain,
      "text/markdown": live.found ? `${markdown}\n\n${live.data["text/markdown"]}` : markdown,
    },
  };
}
