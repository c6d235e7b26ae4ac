// inspect_request (Shift+Tab in JupyterLab, `x?` in jupyter console): type, signature and a value preview of
// the name under the cursor, or of the function whose call the cursor is in.
import { inspect as utilInspect } from "node:util";
import { chainAt, identifierEnd, lexicalPlace, resolvePath, unitIndex } from "./expression.ts";

export interface InspectReply {
  found: boolean;
  data: Record<string, string>;
}

/** Longest value preview: enough to recognise a value, short enough for a tooltip. */
const PREVIEW_CHARS = 2000;
/** Longest function source shown at detail level 1. */
const SOURCE_CHARS = 10_000;

function bounded(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… [${text.length - limit} more characters]`;
}

/**
 * Chains worth inspecting, best first: the name under the cursor, then the callee of the call the cursor is
 * inside (`fetchAll(urls, |` shows fetchAll's signature, as Shift+Tab does in IPython).
 */
function targetsAt(code: string, cursor: number): string[][] {
  const targets: string[][] = [];
  const here = chainAt(code.slice(0, identifierEnd(code, cursor)));
  if (here && here.partial !== "") targets.push([...here.path, here.partial]);
  let depth = 0;
  for (let i = cursor - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth === 0) {
        if (c !== "(") break;
        const callee = chainAt(code.slice(0, i).trimEnd());
        if (callee && callee.partial !== "") targets.push([...callee.path, callee.partial]);
        break;
      }
      depth--;
    }
  }
  return targets;
}

/** `Map`, `Array(3)`, `string (12 characters)`, `async function`, `class`... */
function typeLabel(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") {
    if (isClass(value)) return "class";
    const kind = value.constructor?.name;
    if (kind === "AsyncFunction") return "async function";
    if (kind === "GeneratorFunction") return "generator function";
    if (kind === "AsyncGeneratorFunction") return "async generator function";
    return "function";
  }
  if (typeof value === "string") return `string (${[...value].length} characters)`;
  if (typeof value !== "object") return typeof value;
  const name = constructorName(value);
  if (Array.isArray(value)) return `${name}(${value.length})`;
  if (value instanceof Map || value instanceof Set) return `${name}(${value.size})`;
  return name;
}

function constructorName(value: object): string {
  try {
    const proto = Object.getPrototypeOf(value);
    if (proto === null) return "Object (null prototype)";
    const ctor = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
    return typeof ctor === "function" && ctor.name ? ctor.name : "Object";
  } catch {
    return "Object";
  }
}

function sourceOf(fn: Function): string {
  try {
    return Function.prototype.toString.call(fn);
  } catch {
    return "";
  }
}

function isClass(fn: Function): boolean {
  return /^class\b/.test(sourceOf(fn));
}

/**
 * The text between the `(` at `open` and its matching `)`, skipping strings, templates and comments (default
 * values may hold any of them).
 */
function balancedParams(source: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === "`") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === "\\") i++;
    } else if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end === -1 ? source.length : end;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? source.length : end + 1;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Parameters as written in the source, on one line. */
function paramsOf(fn: Function): string | undefined {
  const source = sourceOf(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) return undefined;
  if (isClass(fn)) {
    const ctor = /\bconstructor\s*\(/.exec(source);
    if (ctor) return tidy(balancedParams(source, ctor.index + ctor[0].length - 1));
    const parent = Object.getPrototypeOf(fn);
    return typeof parent === "function" && parent !== Function.prototype ? paramsOf(parent) : "";
  }
  // `x => ...` and `async x => ...`: one bare parameter.
  const single = /^(?:async\s+)?([\p{ID_Start}$_][\p{ID_Continue}$]*)\s*=>/u.exec(source);
  if (single) return single[1];
  // Methods with computed keys (`[Symbol.iterator]() {}`) have brackets before the parameters.
  let from = 0;
  const computed = /^(?:static\s+)?(?:async\s*)?\*?\s*\[/.exec(source);
  if (computed) {
    let depth = 0;
    for (let i = computed[0].length - 1; i < source.length; i++) {
      if (source[i] === "[") depth++;
      else if (source[i] === "]" && --depth === 0) {
        from = i + 1;
        break;
      }
    }
  }
  const open = source.indexOf("(", from);
  return open === -1 ? undefined : tidy(balancedParams(source, open));
}

function tidy(params: string | undefined): string | undefined {
  return params?.replace(/\s+/g, " ").trim().replace(/,$/, "");
}

/** `fetchAll(urls, { limit = 4 } = {})`, `new Point(x, y)`, `push(…)` for native functions. */
export function signatureOf(fn: Function, name?: string): string {
  let label: string;
  try {
    label = name ?? (typeof fn.name === "string" && fn.name ? fn.name : "anonymous");
  } catch {
    label = name ?? "anonymous";
  }
  const params = paramsOf(fn);
  const shown = params ?? "…";
  if (isClass(fn)) return `new ${label}(${shown})`;
  const async = fn.constructor?.name?.startsWith("Async") ? "async " : "";
  return `${async}${label}(${shown})`;
}

function preview(value: unknown): string {
  try {
    return bounded(utilInspect(value, { colors: false, depth: 2, breakLength: 80, maxArrayLength: 20, maxStringLength: 500 }), PREVIEW_CHARS);
  } catch (error) {
    return `[cannot be inspected: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

/**
 * Information about the expression at `cursorPos` (a code point offset): its type, a signature for functions
 * and classes, a bounded value preview; at detail level 1 the source of functions too. Resolves only plain
 * chains of names against the live scope and never calls user getters.
 */
export function inspect(code: string, cursorPos: number, detailLevel: number, scope: object): InspectReply {
  const notFound: InspectReply = { found: false, data: {} };
  try {
    const cursor = unitIndex(code, cursorPos);
    const place = lexicalPlace(code.slice(0, cursor));
    if (place.kind === "comment") return notFound;
    let path: string[] | undefined;
    let value: unknown;
    for (const candidate of targetsAt(code, cursor)) {
      const resolved = resolvePath(candidate, scope);
      if (resolved.found) {
        path = candidate;
        value = resolved.value;
        break;
      }
    }
    if (!path) return notFound;
    const name = path.join(".");
    const type = typeLabel(value);
    const plain: string[] = [`Name:      ${name}`, `Type:      ${type}`];
    const markdown: string[] = [`**${name}**: \`${type}\``];
    if (typeof value === "function") {
      const signature = signatureOf(value, path[path.length - 1]);
      plain.push(`Signature: ${signature}`);
      markdown.push("```ts\n" + signature + "\n```");
      if (detailLevel >= 1) {
        const source = bounded(sourceOf(value), SOURCE_CHARS);
        plain.push(`Source:\n${source}`);
        markdown.push("```js\n" + source + "\n```");
      }
    } else {
      const text = preview(value);
      plain.push(text.includes("\n") ? `Value:\n${text}` : `Value:     ${text}`);
      markdown.push("```\n" + text + "\n```");
    }
    return { found: true, data: { "text/plain": plain.join("\n"), "text/markdown": markdown.join("\n\n") } };
  } catch {
    return notFound;
  }
}
