// Syntax highlighting with highlight.js core and only the grammars lessons use, so exports load fast.
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import plaintext from "highlight.js/lib/languages/plaintext";
import typescript from "highlight.js/lib/languages/typescript";
import { escapeHtml } from "./html.ts";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("javascript", javascript);
hljs.registerLanguage("json", json);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("plaintext", plaintext);

/** Names notebooks and fences use for the grammars we bundle. */
const ALIASES: Record<string, string> = {
  ts: "typescript", tsx: "typescript", typescript: "typescript",
  js: "javascript", jsx: "javascript", mjs: "javascript", javascript: "javascript", node: "javascript",
  json: "json", jsonc: "json",
  sh: "bash", shell: "bash", bash: "bash", zsh: "bash", console: "bash",
  text: "plaintext", txt: "plaintext", plaintext: "plaintext", "": "plaintext",
};

/** HTML for `code` highlighted as `language`; unknown languages are escaped, never guessed. */
export function highlight(code: string, language: string): string {
  const name = ALIASES[language.toLowerCase()];
  if (!name || name === "plaintext") return escapeHtml(code);
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}
