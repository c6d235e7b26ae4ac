// inspect(): what Shift+Tab / `x?` shows for the name under the cursor.
import { describe, expect, it } from "vitest";
import { inspect, signatureOf } from "../../kernel/introspect/inspect.ts";

function scopeWith(declarations: Record<string, unknown>): object {
  return Object.assign(Object.create(globalThis), declarations);
}

function at(textWithCursor: string, scope: object, detail = 0) {
  const cursor = [...textWithCursor.slice(0, textWithCursor.indexOf("|"))].length;
  return inspect(textWithCursor.replace("|", ""), cursor, detail, scope);
}

describe("inspect", () => {
  it("shows type, signature and markdown for a function under the cursor", () => {
    async function fetchAll(urls: string[], { limit = 4, retry = (n: number) => n * 2 } = {}) {
      return [urls, limit, retry];
    }
    const scope = scopeWith({ fetchAll });
    const reply = at("await fetch|All(list)", scope);
    expect(reply.found).toBe(true);
    const text = reply.data["text/plain"]!;
    expect(text).toContain("Name:      fetchAll");
    expect(text).toContain("Type:      async function");
    expect(text).toMatch(/Signature: async fetchAll\(urls, \{ limit = 4, retry = \(n\) => n \* 2 \} = \{\}\)/);
    expect(reply.data["text/markdown"]).toContain("**fetchAll**: `async function`");
    expect(reply.data["text/markdown"]).toContain("```ts\nasync fetchAll(");
  });

  it("shows the callee's signature when the cursor is inside a call's arguments", () => {
    const scope = scopeWith({ area: (width: number, height = 1) => width * height });
    const reply = at("area(3, |)", scope);
    expect(reply.found).toBe(true);
    expect(reply.data["text/plain"]).toContain("Signature: area(width, height = 1)");
    expect(at("area(undefinedName|)", scope).data["text/plain"]).toContain("Signature: area(");
  });

  it("previews values and their types along a chain", () => {
    const scope = scopeWith({ config: { ports: [80, 443], name: "web", seen: new Map([["a", 1]]) } });
    expect(at("config.po|rts", scope).data["text/plain"]).toBe("Name:      config.ports\nType:      Array(2)\nValue:     [ 80, 443 ]");
    expect(at("config.name|", scope).data["text/plain"]).toContain("Type:      string (3 characters)\nValue:     'web'");
    expect(at("config.seen|", scope).data["text/plain"]).toContain("Type:      Map(1)");
  });

  it("describes classes by their constructor, inherited or own", () => {
    class Point {
      constructor(public x: number, public y = 0) {}
    }
    class Named extends Point {}
    const scope = scopeWith({ Point, Named });
    expect(at("new Poi|nt", scope).data["text/plain"]).toContain("Type:      class\nSignature: new Point(x, y = 0)");
    expect(at("Named|", scope).data["text/plain"]).toContain("Signature: new Named(x, y = 0)");
  });

  it("shows the source at detail level 1", () => {
    function twice(n: number) {
      return n * 2;
    }
    const reply = at("twice|", scopeWith({ twice }), 1);
    expect(reply.data["text/plain"]).toContain("Source:\nfunction twice(n)");
  });

  it("bounds huge previews", () => {
    const reply = at("big|", scopeWith({ big: { text: "x".repeat(100_000), list: Array.from({ length: 10_000 }, (_, i) => i) } }));
    expect(reply.data["text/plain"]!.length).toBeLessThan(3000);
  });

  it("finds nothing for unknown names, keywords, comments and getters it must not run", () => {
    let calls = 0;
    const scope = scopeWith({ lazy: { get heavy() { calls++; return 1; } } });
    expect(at("nope|", scope).found).toBe(false);
    expect(at("const|", scope).found).toBe(false);
    expect(at("// console|", scope).found).toBe(false);
    expect(at("lazy.heavy|", scope).found).toBe(false);
    expect(calls).toBe(0);
    expect(at("console.log|", scope).found).toBe(true);
  });
});

describe("signatureOf", () => {
  it("reads parameters from many function shapes", () => {
    expect(signatureOf((a: number) => a)).toBe("anonymous(a)");
    expect(signatureOf(async (x: unknown) => x, "f")).toBe("async f(x)");
    const obj = {
      method(a: string, b = ")") { return a + b; },
      *gen(n: number) { yield n; },
      [Symbol.iterator](step: number) { return step; },
    };
    expect(signatureOf(obj.method)).toBe('method(a, b = ")")');
    expect(signatureOf(obj.gen)).toBe("gen(n)");
    expect(signatureOf(obj[Symbol.iterator], "iterator")).toBe("iterator(step)");
    expect(signatureOf(Array.prototype.push)).toBe("push(…)");
    // Built from text: the test's own transform would strip the comment.
    expect(signatureOf(new Function("/* comment ( */ a", "...rest", "return a"), "g")).toBe("g(/* comment ( */ a,...rest)");
  });
});
