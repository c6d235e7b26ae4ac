// Completion and Shift+Tab with types, through the real kernel: typed members with kinds and signatures,
// the type and JSDoc on hover, and the live-object answers still there for what the checker cannot see.
import { beforeAll, describe, expect, it } from "vitest";
import { kernelPerFile } from "../support/kernel.ts";

const kernel = kernelPerFile({ env: { LOOPLAB_TYPECHECK_BEFORE_REPLY: "1" } });

interface TypedItem {
  text: string;
  type: string;
  signature?: string;
}

async function completeAt(textWithCursor: string) {
  const code = textWithCursor.replace("|", "");
  const cursor_pos = [...textWithCursor.slice(0, textWithCursor.indexOf("|"))].length;
  const { reply } = await kernel.client.request("shell", "complete_request", { code, cursor_pos });
  const content = reply.content as { matches: string[]; cursor_start: number; cursor_end: number; metadata: { _jupyter_types_experimental: TypedItem[] } };
  return { ...content, items: content.metadata._jupyter_types_experimental };
}

async function inspectAt(textWithCursor: string): Promise<{ found: boolean; text: string; markdown: string }> {
  const code = textWithCursor.replace("|", "");
  const cursor_pos = [...textWithCursor.slice(0, textWithCursor.indexOf("|"))].length;
  const { reply } = await kernel.client.request("shell", "inspect_request", { code, cursor_pos, detail_level: 0 });
  const data = reply.content.data as Record<string, string>;
  return { found: reply.content.found === true, text: data["text/plain"] ?? "", markdown: data["text/markdown"] ?? "" };
}

beforeAll(async () => {
  // Declarations the checker knows; the checker is warm once the reply (which waits for it) arrives.
  await kernel.execute(
    'import { Semaphore, sleep } from "looplab";\nimport * as path from "node:path";\n' +
      "/** A point on the plane. */\nclass Point {\n  constructor(public x: number, public y: number) {}\n  /** Distance from the origin. */\n  norm(): number { return Math.hypot(this.x, this.y); }\n}\n" +
      'const origin = new Point(0, 0);\nconst settings = { retries: 3, label: "demo" };\n/** Resolves with a greeting after `ms`. */\nasync function greet(name: string, ms = 10): Promise<string> { await sleep(ms); return `hi ${name}`; }',
  );
}, 120_000);

describe("typed completion", () => {
  it('offers a string\'s members with kinds and signatures after "abc".', async () => {
    const reply = await completeAt('"abc".toU|');
    expect(reply.matches).toContain("toUpperCase");
    const item = reply.items.find((i) => i.text === "toUpperCase")!;
    expect(item.type).toBe("function");
    expect(item.signature).toMatch(/toUpperCase\(\): string/);
    expect(reply.cursor_start).toBe(6);
    expect(reply.cursor_end).toBe(9);
  });

  it("offers a user's class members and object properties, typed", async () => {
    const members = await completeAt("origin.|");
    expect(members.matches).toEqual(expect.arrayContaining(["x", "y", "norm"]));
    expect(members.items.find((i) => i.text === "norm")).toMatchObject({ type: "function", signature: expect.stringMatching(/norm\(\): number/) });
    expect(members.items.find((i) => i.text === "x")?.type).toBe("property");
    const props = await completeAt("settings.r|");
    expect(props.matches[0]).toBe("retries");
  });

  it("offers an imported module's and looplab's typed members", async () => {
    const mod = await completeAt("path.jo|");
    expect(mod.items.find((i) => i.text === "join")).toMatchObject({ type: "function", signature: expect.stringMatching(/join\(\.\.\.paths: string\[\]\): string/) });
    const sem = await completeAt("new Semaphore(2).|");
    expect(sem.matches).toEqual(expect.arrayContaining(["acquire", "release", "run"]));
    // A member of a value the cell being typed declares, before it ever ran: only the checker knows it.
    const draft = await completeAt('const fresh = { alpha: 1, beta: "b" };\nfresh.|');
    expect(draft.matches).toEqual(["alpha", "beta"]);
  });

  it("keeps the live answers: magics, module names, and globals the checker does not know", async () => {
    expect((await completeAt("%type|")).matches).toEqual(["%typecheck"]);
    expect((await completeAt('import { x } from "node:pa|')).matches).toContain("node:path");
    await kernel.execute("globalThis.liveOnlyThing = 1;");
    expect((await completeAt("liveOnly|")).matches).toContain("liveOnlyThing");
  });
});

describe("typed inspect (Shift+Tab)", () => {
  it("shows a function's type and its JSDoc, with the live value too", async () => {
    const info = await inspectAt("gre|et");
    expect(info.found).toBe(true);
    expect(info.text).toMatch(/^function greet\(name: string, ms\?: number\): Promise<string>/);
    expect(info.text).toContain("Resolves with a greeting after `ms`.");
    expect(info.markdown).toContain("```ts\nfunction greet(name: string, ms?: number): Promise<string>\n```");
    // The live part stays: the runtime's own view of the value.
    expect(info.text).toContain("Type:      async function");
  });

  it("shows a method's and a looplab export's types", async () => {
    const method = await inspectAt("origin.no|rm()");
    expect(method.text).toMatch(/\(method\) Point\.norm\(\): number/);
    expect(method.text).toContain("Distance from the origin.");
    const value = await inspectAt("settings|");
    expect(value.text).toMatch(/const settings: \{\s*retries: number;\s*label: string;\s*\}/);
    const call = await inspectAt("sleep(|");
    expect(call.text).toMatch(/sleep\(ms: number\): Promise<void>/);
  });
});
