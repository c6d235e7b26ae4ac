// The page script of the course search, bundled with MiniSearch for the browser when a site is exported.
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Esbuild from "esbuild";
import { packageRoot } from "../../paths.ts";

let bundled: string | undefined;

/**
 * One self-contained script (MiniSearch and our client) to write beside the pages, so no page carries inline
 * script. Built from the source file on first use, by the esbuild the kernel already depends on, then kept.
 */
export function searchScript(): string {
  if (bundled) return bundled;
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  const result = esbuild.buildSync({
    entryPoints: [join(packageRoot, "kernel/course/export/search-client.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    write: false,
    charset: "utf8",
    legalComments: "eof",
    logLevel: "silent",
  });
  bundled = `// Course search for pages exported by LoopLab (MiniSearch, MIT licence).\n${result.outputFiles[0].text}`;
  return bundled;
}
