// Nothing a notebook contains can make an export write outside its output folder, or pull files from outside its own.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportCourse } from "../../kernel/course/export/command.ts";
import { writeNotebook } from "../../kernel/course/notebook/write.ts";
import { parseNotebook } from "../../kernel/course/notebook/read.ts";
import { OutputFolder, safeFileName, UnsafePathError } from "../../kernel/course/output-folder.ts";
import { code, display, markdown, notebook, PNG } from "./fixture.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "looplab-paths-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file and link under a folder, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

const HOSTILE_NAMES = [
  "../../escape.png",
  "../escape-one.png",
  "/tmp/looplab-absolute-escape.png",
  "..\\..\\windows-escape.png",
  "a/../../b.png",
  "sub/dir/deep.png",
  ".hidden.png",
  "..",
  ".",
  "nul\u0000byte.png",
  "line\nbreak.png",
  `${"long".repeat(100)}.png`,
  "",
];

/** A lesson whose pasted images, output images and links all name places outside the folder. */
function hostileLesson(src: string): void {
  mkdirSync(src, { recursive: true });
  const attachments = Object.fromEntries(HOSTILE_NAMES.map((name) => [name, { "image/png": PNG }]));
  writeFileSync(join(root, "secret.png"), "SECRET-OUTSIDE");
  symlinkSync(join(root, "secret.png"), join(src, "linked.png"));
  const nb = notebook([
    markdown(["# Paths", ...HOSTILE_NAMES.map((name) => `![a](attachment:${encodeURI(name)})`)].join("\n\n"), [], { attachments }),
    markdown("![up](../secret.png) ![abs](" + join(root, "secret.png") + ") ![link](linked.png)"),
    { ...code("x", [display({ "image/png": PNG })], [], 1), id: "../../cell" },
  ]);
  writeFileSync(join(src, "01-paths.ipynb"), JSON.stringify(nb));
}

describe("hostile names", () => {
  it("writes every export format only inside --out, whatever the attachments are called", () => {
    const src = join(root, "src");
    hostileLesson(src);
    const before = tree(root);
    for (const format of ["html", "md", "ipynb"] as const) {
      exportCourse({ inputs: [src], out: join(root, "out", format), format, edition: "both" });
    }
    const added = tree(root).filter((p) => !before.includes(p));
    expect(added.length).toBeGreaterThan(10);
    for (const path of added) expect(path.startsWith("out"), path).toBe(true);
    expect(existsSync("/tmp/looplab-absolute-escape.png")).toBe(false);
    // Each pasted image is one plain file in the lesson's folder.
    const assets = readdirSync(join(root, "out", "md", "instructor", "01-paths_files"));
    expect(assets.length).toBeGreaterThanOrEqual(HOSTILE_NAMES.length);
    for (const name of assets) expect(name).toMatch(/^[^/\\\u0000-\u001f]{1,130}$/);
  });

  it("takes no image from outside the notebook's folder, by ../, absolute path or symbolic link", () => {
    const src = join(root, "src");
    hostileLesson(src);
    const site = exportCourse({ inputs: [src], out: join(root, "site"), format: "html", edition: "instructor" });
    const md = exportCourse({ inputs: [src], out: join(root, "md"), format: "md", edition: "instructor" });
    const secret = Buffer.from("SECRET-OUTSIDE").toString("base64");
    for (const file of [...site.files, ...md.files]) expect(readFileSync(file, "utf8"), file).not.toContain(secret);
    for (const file of tree(join(root, "md"))) {
      const path = join(root, "md", file);
      if (lstatSync(path).isFile()) expect(readFileSync(path, "utf8"), file).not.toContain("SECRET-OUTSIDE");
    }
    // The links stay as written: the reader sees a missing image, not someone else's file.
    expect(readFileSync(join(root, "md", "01-paths.md"), "utf8")).toContain("![up](../secret.png)");
  });

  it("refuses to write through a symbolic link inside the output folder, leaving its target alone", () => {
    const src = join(root, "src");
    hostileLesson(src);
    const outside = join(root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "victim.md"), "untouched");
    const cases: [string, string, "md" | "html"][] = [
      ["md-dir", "01-paths_files", "md"],
      ["md-file", "01-paths.md", "md"],
      ["html-edition", "student", "html"],
      ["html-file", "index.html", "html"],
    ];
    for (const [name, inside, format] of cases) {
      const out = join(root, name);
      mkdirSync(out);
      symlinkSync(inside.endsWith("_files") || inside === "student" ? outside : join(outside, "victim.md"), join(out, inside));
      expect(() => exportCourse({ inputs: [src], out, format, edition: format === "html" ? "both" : "instructor" }), name).toThrow(UnsafePathError);
    }
    expect(tree(outside)).toEqual(["victim.md"]);
    expect(readFileSync(join(outside, "victim.md"), "utf8")).toBe("untouched");
  });

  it("writes a notebook atomically without following a link planted at its temporary name", () => {
    const target = join(root, "out", "lesson.ipynb");
    mkdirSync(dirname(target));
    writeFileSync(join(root, "victim"), "untouched");
    symlinkSync(join(root, "victim"), `${target}.${process.pid}.tmp`);
    writeNotebook(target, parseNotebook(JSON.stringify(notebook([markdown("# x")]))));
    expect(readFileSync(join(root, "victim"), "utf8")).toBe("untouched");
    expect(readFileSync(target, "utf8")).toContain('"# x"');
  });
});

describe("OutputFolder", () => {
  it("turns any name into one plain file inside the folder (property-based)", () => {
    const folder = new OutputFolder(join(root, "out"));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom("..", ".", "../x", "/etc/passwd", "a\\..\\b", "\u0000")), (name) => {
        const safe = safeFileName(name);
        expect(safe).not.toMatch(/[/\\\u0000]/);
        expect([".", "..", ""]).not.toContain(safe);
        expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(255);
        const path = folder.write(`sub/${safe}`, "x");
        expect(relative(join(root, "out", "sub"), path)).toBe(safe);
      }),
      { numRuns: 300, seed: 15 },
    );
    expect(tree(root).every((p) => p.startsWith("out"))).toBe(true);
  });

  it("refuses relative paths that step out or name nothing", () => {
    const folder = new OutputFolder(join(root, "out"));
    for (const bad of ["../x", "a/../../x", "/abs", "", "a//b", ".", "a\\b", "x\u0000"]) expect(() => folder.write(bad, "x"), JSON.stringify(bad)).toThrow(UnsafePathError);
    expect(tree(root)).toEqual(["out"]);
  });
});
