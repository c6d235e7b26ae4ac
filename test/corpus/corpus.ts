// The real-code corpus the compiler is proven on: test262's parser tests and the TypeScript sources of npm packages.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import vm from "node:vm";

export interface CorpusFile {
  /** Where it comes from, for messages: `test262/pass/0a1b.js`, `ajv/lib/core.ts`. */
  name: string;
  source: string;
  /** How the source is meant to be read: a classic script, an ES module, or a TypeScript module. */
  kind: "script" | "module" | "typescript";
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * Every program of test262-parser-tests' pass/ that this Node parses: scripts (checked with vm.Script, so a
 * syntax newer than this Node is left out) and modules (`.module.js`).
 */
export function test262(): CorpusFile[] {
  const dir = join(packageDir("test262-parser-tests"), "pass");
  const files: CorpusFile[] = [];
  for (const file of readdirSync(dir).sort()) {
    const source = readFileSync(join(dir, file), "utf8");
    const module = file.endsWith(".module.js");
    if (!module && !nodeParsesScript(source)) continue;
    files.push({ name: `test262/pass/${file}`, source, kind: module ? "module" : "script" });
  }
  return files;
}

function nodeParsesScript(source: string): boolean {
  try {
    new vm.Script(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * Packages whose npm tarballs carry their TypeScript sources (not only .d.ts), with the folders that hold
 * them: all already in node_modules as the kernel's or its tests' dependencies.
 */
const TYPESCRIPT_PACKAGES: Array<[name: string, folder: string]> = [
  ["ajv", "lib"],
  ["entities", "src"],
  ["@jridgewell/sourcemap-codec", "src"],
  ["zeromq", "src"],
  ["ansi_up", "."],
];

export function typescriptSources(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const [name, folder] of TYPESCRIPT_PACKAGES) {
    let root: string;
    try {
      root = packageDir(name);
    } catch {
      continue;
    }
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "node_modules" && entry.name !== "test") walk(path);
        } else if (/\.(ts|mts|cts)$/.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
          files.push({ name: `${name}/${relative(root, path)}`, source: readFileSync(path, "utf8"), kind: "typescript" });
        }
      }
    };
    walk(join(root, folder));
  }
  return files;
}
