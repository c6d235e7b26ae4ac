// What the kernel says about itself in kernel_info_reply.
import { packageJson as pkg } from "./paths.ts";
import { PROTOCOL_VERSION, type Content } from "./wire/message.ts";

export const implementationVersion = pkg.version;

export const languageInfo = {
  name: "typescript",
  version: "5",
  mimetype: "text/typescript",
  file_extension: ".ts",
  pygments_lexer: "typescript",
  // A MIME type both front ends resolve to TypeScript: JupyterLab 4 looks a mode up by name, then by MIME (an
  // object's `typescript: true` would be dropped, leaving plain JavaScript), and the classic Notebook's
  // CodeMirror 5 maps application/typescript to its javascript mode in TypeScript flavour.
  codemirror_mode: "application/typescript",
  nbconvert_exporter: "script",
};

export const banner = `LoopLab ${pkg.version}: TypeScript with top-level await on Node ${process.version}; import { gather, timeline } from "looplab"`;

export const helpLinks = [
  { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
  { text: "Node.js API", url: "https://nodejs.org/docs/latest-v20.x/api/" },
  { text: "MDN: async functions", url: "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/async_function" },
];

/** The content of kernel_info_reply. */
export function kernelInfo(): Content {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "looplab",
    implementation_version: implementationVersion,
    language_info: languageInfo,
    banner,
    help_links: helpLinks,
    debugger: false,
  };
}
