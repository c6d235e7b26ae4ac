// Property: whatever order cells declare and re-declare names in (let, const, function, class, destructuring,
// an import), a later cell sees each name with the type of its latest declaration, and only that one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kernelPerFile } from "../support/kernel.ts";

const kernel = kernelPerFile({ env: { LOOPLAB_TYPECHECK_BEFORE_REPLY: "1" } });
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

type Kind = "number" | "string" | "boolean";
const VALUES: Record<Kind, string> = { number: "42", string: '"text"', boolean: "true" };
const NAMES = ["alpha", "beta", "gamma"] as const;

/** A cell declaring `name` with a value of type `kind`, in one of the ways a notebook might. */
function declaration(form: number, name: string, kind: Kind): string {
  const value = VALUES[kind];
  switch (form) {
    case 0:
      return `let ${name} = ${value};`;
    case 1:
      return `const ${name}: ${kind} = ${value};`;
    case 2:
      return `const { ${name} } = { ${name}: ${value} };`;
    case 3:
      return `function make_${name}(): ${kind} { return ${value}; }\nconst ${name} = make_${name}();`;
    default:
      return `var ${name} = ${value};\nconsole.log(typeof ${name});`;
  }
}

const step = fc.record({ name: fc.constantFrom(...NAMES), kind: fc.constantFrom<Kind>("number", "string", "boolean"), form: fc.integer({ min: 0, max: 4 }) });

describe("re-declaration across cells", () => {
  it("checks every later use against the latest declaration's type", async () => {
    const latest = new Map<string, Kind>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), async (steps) => {
        for (const { name, kind, form } of steps) {
          const run = await kernel.execute(declaration(form, name, kind));
          expect(run.content.status).toBe("ok");
          expect(plain(run.stderr)).toBe("");
          latest.set(name, kind);
        }
        const [name, kind] = [...latest][Math.floor(latest.size / 2)]!;
        const right = await kernel.execute(`const probe_ok: ${kind} = ${name};`);
        expect(plain(right.stderr)).toBe("");
        const other: Kind = kind === "number" ? "string" : "number";
        const wrong = await kernel.execute(`const probe_bad: ${other} = ${name};`);
        expect(plain(wrong.stderr)).toContain(`Type '${kind}' is not assignable to type '${other}'. (TS2322)`);
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
