// Call instrumentation: every async function and async arrow in user code runs its body as a traced call of the
// runtime (runtime/call.ts), so a timeline draws one lane per call, named after it: `download("a", 2)`.
//
//   async function download(name, s) { BODY }   ->  async function download(name, s) { return T("download", arguments, async () => { BODY }) }
//   const page = async (url) => EXPR             ->  const page = async (url) => T("page", [url], async () => (EXPR))
//
// The body moves into an async arrow, which sees the same `this`, `arguments`, `new.target` and `super`, and the
// same parameters. The function itself loses its `async` (it returns the arrow's promise), so a call takes as
// many microtask turns as it did: an async function returning another promise would add two, and code that
// interleaves un-awaited calls would run in another order (the property test of generated cells caught it).
// It keeps its name, length and parameters; it is no longer an AsyncFunction to util.types, and `new` on it
// no longer throws. With parameters that can throw (defaults, destructuring) it stays async, so the throw is
// still a rejection, at the price of those two turns; so does an arrow that starts a statement (without
// `async`, `x\n(y) => 1` would read as a call of x).
// An anonymous async function handed to a call that the named function around it returns or awaits (a wrapper
// such as `const job = (name) => sem.run(async () => ...)`, or `return three.run(async () => ...)` in an async
// function) is part of that function's call: the wrapper is traced too (when it is not async itself), and the
// callback runs in its lane (the runtime sees the flag and adds no lane of its own), so `job("file-1")` is one
// lane that waits for the semaphore and then sleeps. Other anonymous async functions (`items.map(async (x) =>
// ...)`, run side by side) are lanes of their own, labelled `async(args)`.
// Left alone: generators, class constructors, getters and setters, and a body that redeclares a parameter or
// `arguments` with `var` or `function` (inside the arrow that would make a new, empty binding).
import type { Node } from "acorn";
import * as walk from "acorn-walk";
import { close, Layer, open, replace, wrap, type Edit } from "./edits.ts";

/** The runtime's tracedCall flags (runtime/call.ts): a callback in its function's lane; a value kept as is. */
const WITHIN = 1;
const KEEP = 2;

interface FunctionNode extends Node {
  id?: { name: string } | null;
  async: boolean;
  generator: boolean;
  expression?: boolean;
  params: Node[];
  body: Node & { body?: Node[] };
}

/** The edits that trace every async call in `program` through the global function `callName`. */
export function tracedCallEdits(program: Node, code: string, callName: string): Edit[] {
  const edits: Edit[] = [];
  const wrappers = new Set<FunctionNode>();
  const names = new Map<FunctionNode, string>();
  const enclosing = new Map<FunctionNode, FunctionNode | undefined>();
  const parents = new Map<FunctionNode, Node | undefined>();
  const callbacks = new Set<FunctionNode>();
  const startsStatement = new Set<FunctionNode>();
  walk.ancestor(program, {
    Function(node, _state, ancestors) {
      const fn = node as unknown as FunctionNode;
      const parent = ancestors[ancestors.length - 2];
      parents.set(fn, parent);
      if (isTailCallback(fn, ancestors)) callbacks.add(fn);
      if (ancestors.some((a) => a.type === "ExpressionStatement" && a.start === fn.start)) startsStatement.add(fn);
      const name = nameOf(fn, parent);
      if (name !== undefined) names.set(fn, name);
      let outer: FunctionNode | undefined;
      for (let i = ancestors.length - 2; i >= 0; i--) {
        const a = ancestors[i]!;
        if (a.type === "FunctionDeclaration" || a.type === "FunctionExpression" || a.type === "ArrowFunctionExpression") {
          outer = a as unknown as FunctionNode;
          break;
        }
      }
      enclosing.set(fn, outer);
    },
  });
  const traceable = (fn: FunctionNode, parent?: Node) => !fn.generator && !isAccessorOrConstructor(fn, parent) && !redeclaresParameter(fn);
  for (const [fn, outer] of enclosing) {
    if (!fn.async || !traceable(fn, parents.get(fn))) continue;
    if (!startsStatement.has(fn)) edits.push(...dropAsync(fn, parents.get(fn), code));
    const name = names.get(fn);
    if (name !== undefined) {
      edits.push(...traceBody(fn, code, callName, JSON.stringify(name), argsOf(fn), "async ", ""));
      continue;
    }
    const outerName = outer === undefined ? undefined : names.get(outer);
    if (outer !== undefined && outerName !== undefined && callbacks.has(fn) && traceable(outer, parents.get(outer))) {
      if (!outer.async) wrappers.add(outer);
      // The wrapper's parameters, as it was called (the callback runs in its lane; see the module comment).
      edits.push(...traceBody(fn, code, callName, JSON.stringify(outerName), paramsOf(outer), "async ", `, ${WITHIN}`));
    } else {
      edits.push(...traceBody(fn, code, callName, "null", paramsOf(fn), "async ", ""));
    }
  }
  for (const fn of wrappers) edits.push(...traceBody(fn, code, callName, JSON.stringify(names.get(fn)!), argsOf(fn), "", `, ${KEEP}`));
  return edits;
}

/** The edit that removes fn's `async` keyword (see the module comment), or none when its parameters can throw. */
function dropAsync(fn: FunctionNode, parent: Node | undefined, code: string): Edit[] {
  const simple = fn.params.every((p) => p.type === "Identifier" || (p.type === "RestElement" && (p as Node & { argument: Node }).argument.type === "Identifier"));
  if (!simple) return [];
  const p = parent as (Node & { value?: Node; key?: Node; method?: boolean }) | undefined;
  if (p !== undefined && p.value === (fn as unknown as Node) && (p.type === "MethodDefinition" || (p.type === "Property" && p.method))) {
    // `async m() {}`, `static async m() {}`: the keyword sits before the key. In a class an empty member (`;`)
    // takes its place when it starts the member, so a field above without a semicolon cannot run on into it.
    const head = code.slice(p.start, p.key!.start);
    const at = head.search(/\basync\b/);
    if (at < 0) return [];
    return [replace(p.start + at, p.start + at + 5, p.type === "MethodDefinition" && at === 0 ? ";" : "")];
  }
  if (!code.startsWith("async", fn.start)) return [];
  return [replace(fn.start, fn.start + 5, "")];
}

/**
 * Is fn an argument of a call that the function around it returns or awaits right there (`return f(async () =>
 * ...)`, `=> f(async () => ...)`, `await f(async () => ...)`)? Such a callback runs on that function's behalf.
 */
function isTailCallback(fn: FunctionNode, ancestors: Node[]): boolean {
  const call = ancestors[ancestors.length - 2] as (Node & { arguments?: Node[]; callee?: Node & { name?: string; property?: { name?: string } } }) | undefined;
  if (call?.type !== "CallExpression" || !call.arguments!.includes(fn as unknown as Node)) return false;
  // A function handed to createTask runs as a task, which is a lane of its own: no wrapper lane around it.
  const callee = call.callee!;
  if ((callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" ? callee.property?.name : undefined) === "createTask") return false;
  const at = ancestors.length - 3;
  if (ancestors[at]?.type === "AwaitExpression") return true;
  const holder = ancestors[at] as (Node & { body?: Node }) | undefined;
  if (holder?.type === "ReturnStatement") return true;
  return holder?.type === "ArrowFunctionExpression" && holder.body === call;
}

/** The edits that run fn's body as `callName(name, args, <async?>() => body<extra>)`. */
function traceBody(fn: FunctionNode, code: string, callName: string, name: string, args: string, async: string, extra: string): Edit[] {
  const body = fn.body;
  if (body.type !== "BlockStatement") {
    // Parentheses: an object literal body (`=> ({ a: 1 })`) has its `(` outside the node's range.
    return wrap(body, `${callName}(${name}, ${args}, ${async}() => (`, `)${extra})`, Layer.statement);
  }
  let at = body.start + 1;
  let prefix = " ";
  for (const statement of body.body ?? []) {
    if (!(statement as { directive?: string }).directive) break;
    at = statement.end;
    prefix = code[at - 1] === ";" ? " " : "; ";
  }
  // Owned by the inside of the braces: for an empty body `{}` the opening must still come before the closing.
  const inside = { start: at, end: body.end - 1 };
  return [open(inside, at, `${prefix}return ${callName}(${name}, ${args}, ${async}() => {`, Layer.statement), close(inside, inside.end, `}${extra});`, Layer.statement)];
}

/** The call's arguments: `arguments` where the function has its own, else its parameters. */
function argsOf(fn: FunctionNode): string {
  return fn.type === "ArrowFunctionExpression" ? paramsOf(fn) : "arguments";
}

/** `[a, b, ...rest]` for fn's parameters; a destructured one shows as null (it has no single name). */
function paramsOf(fn: FunctionNode): string {
  const parts = fn.params.map((param) => {
    let p = param as Node & { left?: Node; argument?: Node; name?: string };
    if (p.type === "AssignmentPattern") p = p.left as typeof p;
    if (p.type === "RestElement") return p.argument!.type === "Identifier" ? `...${(p.argument as unknown as { name: string }).name}` : "null";
    return p.type === "Identifier" ? p.name! : "null";
  });
  return `[${parts.join(", ")}]`;
}

/** The name a reader calls fn by, from its declaration or from where it is assigned. */
function nameOf(fn: FunctionNode, parent: Node | undefined): string | undefined {
  if (fn.id) return fn.id.name;
  if (parent === undefined) return undefined;
  const p = parent as Node & { id?: Node; init?: Node; left?: Node; right?: Node; key?: Node; value?: Node; computed?: boolean; property?: Node };
  const key = (k: Node | undefined, computed: boolean | undefined): string | undefined => {
    if (k === undefined || computed) return undefined;
    if (k.type === "Identifier") return (k as unknown as { name: string }).name;
    if (k.type === "PrivateIdentifier") return `#${(k as unknown as { name: string }).name}`;
    if (k.type === "Literal") return String((k as unknown as { value: unknown }).value);
    return undefined;
  };
  switch (parent.type) {
    case "VariableDeclarator":
      return p.init === fn ? key(p.id, false) : undefined;
    case "AssignmentExpression":
    case "AssignmentPattern":
      if (p.right !== fn) return undefined;
      if (p.left!.type === "MemberExpression") {
        const member = p.left as Node & { property: Node; computed: boolean };
        return key(member.property, member.computed);
      }
      return key(p.left, false);
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      return p.value === fn ? key(p.key, p.computed) : undefined;
    default:
      return undefined;
  }
}

function isAccessorOrConstructor(fn: FunctionNode, parent: Node | undefined): boolean {
  if (parent === undefined || (parent as unknown as { value?: Node }).value !== fn) return false;
  const kind = (parent as unknown as { kind?: string }).kind;
  return kind === "get" || kind === "set" || kind === "constructor";
}

/** Does fn's body declare (var, function) a parameter's name or `arguments`, at the top of its own scope? */
function redeclaresParameter(fn: FunctionNode): boolean {
  if (fn.body.type !== "BlockStatement") return false;
  const params = new Set<string>(["arguments"]);
  for (const param of fn.params) collectNames(param, params);
  let found = false;
  const visit = (node: Node): void => {
    walk.recursive(node, null, {
      Function(inner) {
        // A nested function declaration names a binding of this scope; its body is another scope.
        const id = (inner as unknown as FunctionNode).id;
        if (inner.type === "FunctionDeclaration" && id && params.has(id.name)) found = true;
      },
      VariableDeclaration(decl, state, c) {
        const d = decl as unknown as { kind: string; declarations: Array<{ id: Node; init?: Node | null }> };
        if (d.kind === "var") for (const declarator of d.declarations) for (const name of collectNames(declarator.id, new Set())) if (params.has(name)) found = true;
        walk.base.VariableDeclaration!(decl, state, c);
      },
      Class() {},
    });
  };
  for (const statement of fn.body.body ?? []) visit(statement);
  return found;
}

function collectNames(pattern: Node, into: Set<string>): Set<string> {
  const p = pattern as Node & { name?: string; properties?: Node[]; elements?: Array<Node | null>; left?: Node; argument?: Node; value?: Node };
  switch (p.type) {
    case "Identifier":
      into.add(p.name!);
      break;
    case "ObjectPattern":
      for (const prop of p.properties!) collectNames(prop.type === "RestElement" ? (prop as typeof p).argument! : (prop as typeof p).value!, into);
      break;
    case "ArrayPattern":
      for (const el of p.elements!) if (el) collectNames(el, into);
      break;
    case "AssignmentPattern":
      collectNames(p.left!, into);
      break;
    case "RestElement":
      collectNames(p.argument!, into);
      break;
  }
  return into;
}
