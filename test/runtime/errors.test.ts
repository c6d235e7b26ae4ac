// The runtime's error classes: real Error subclasses with the right names, usable with instanceof.
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  InvalidStateError,
  LoopLabError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  TaskGroupError,
  TimeoutError,
} from "../../runtime/index.ts";

describe("errors", () => {
  const classes = { CancelledError, TimeoutError, QueueEmpty, QueueFull, QueueShutDown, InvalidStateError };

  for (const [name, Class] of Object.entries(classes)) {
    it(`${name} is an Error named ${name} with a message and a stack`, () => {
      const error = new Class("why");
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(LoopLabError);
      expect(error).toBeInstanceOf(Class);
      expect(error.name).toBe(name);
      expect(error.message).toBe("why");
      expect(String(error)).toBe(`${name}: why`);
      expect(error.stack).toContain(name);
      expect(Object.keys(error)).toEqual([]); // name is not an own enumerable field cluttering logs
    });
  }

  it("the classes are distinct (a TimeoutError is not a CancelledError)", () => {
    expect(new TimeoutError()).not.toBeInstanceOf(CancelledError);
    expect(new CancelledError()).not.toBeInstanceOf(TimeoutError);
  });

  it("keeps a cause", () => {
    const cause = new CancelledError();
    expect(new TimeoutError("t", { cause }).cause).toBe(cause);
  });

  it("TaskGroupError is an AggregateError holding the errors", () => {
    const errors = [new Error("a"), new TypeError("b")];
    const group = new TaskGroupError(errors);
    expect(group).toBeInstanceOf(AggregateError);
    expect(group.name).toBe("TaskGroupError");
    expect(group.errors).toEqual(errors);
    expect(group.message).toBe("unhandled errors in a TaskGroup (2 sub-exceptions)");
  });
});
