// The stream coalescer in isolation: exact stdout/stderr order for ordinary output, bounded messages in a flood.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Execution } from "../../kernel/exec/context.ts";
import { FLUSH_BYTES, FLUSH_MS, MAX_SEGMENTS, StreamCoalescer, type StreamName } from "../../kernel/exec/streams.ts";

/** Only the request's msg_id matters to the coalescer. */
const execution = (id: string) => ({ request: { header: { msg_id: id } } }) as unknown as Execution;

function coalescer() {
  const sent: { id: string; name: StreamName; text: string }[] = [];
  const streams = new StreamCoalescer((target, name, text) => sent.push({ id: target.request.header.msg_id, name, text }));
  const textOf = (name: StreamName) => sent.filter((m) => m.name === name).map((m) => m.text).join("");
  return { streams, sent, textOf };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("StreamCoalescer", () => {
  it("keeps ordinary stdout/stderr interleaving exactly, one message per run of one stream", () => {
    const { streams, sent } = coalescer();
    const cell = execution("a");
    streams.write(cell, "stdout", "one\n");
    streams.write(cell, "stdout", "two\n");
    streams.write(cell, "stderr", "oops\n");
    streams.write(cell, "stdout", "three\n");
    streams.write(cell, "stderr", "again\n");
    expect(sent).toEqual([]);
    streams.flush(cell);
    expect(sent).toEqual([
      { id: "a", name: "stdout", text: "one\ntwo\n" },
      { id: "a", name: "stderr", text: "oops\n" },
      { id: "a", name: "stdout", text: "three\n" },
      { id: "a", name: "stderr", text: "again\n" },
    ]);
  });

  it("sends at most MAX_SEGMENTS messages for a window of alternating writes, every line in its stream's order", () => {
    const { streams, sent, textOf } = coalescer();
    const cell = execution("a");
    for (let i = 0; i < 10_000; i++) {
      streams.write(cell, "stdout", `${i}\n`);
      streams.write(cell, "stderr", `${i}\n`);
    }
    streams.flushAll();
    expect(sent.length).toBe(MAX_SEGMENTS);
    const expected = Array.from({ length: 10_000 }, (_, i) => `${i}\n`).join("");
    expect(textOf("stdout")).toBe(expected);
    expect(textOf("stderr")).toBe(expected);
    // Up to the cap the interleaving is exact: the first switches are single lines.
    expect(sent.slice(0, MAX_SEGMENTS - 2).map((m) => m.text)).toEqual(
      Array.from({ length: MAX_SEGMENTS - 2 }, (_, k) => `${k >> 1}\n`),
    );
  });

  it("gives each flush window a fresh cap, so order is exact again once a flood is over", () => {
    vi.useFakeTimers();
    const { streams, sent } = coalescer();
    const cell = execution("a");
    for (let i = 0; i < 1000; i++) {
      streams.write(cell, "stdout", "o\n");
      streams.write(cell, "stderr", "e\n");
    }
    vi.advanceTimersByTime(FLUSH_MS);
    expect(sent.length).toBe(MAX_SEGMENTS);
    streams.write(cell, "stdout", "after\n");
    streams.write(cell, "stderr", "late\n");
    streams.write(cell, "stdout", "end\n");
    vi.advanceTimersByTime(FLUSH_MS);
    expect(sent.slice(MAX_SEGMENTS).map((m) => [m.name, m.text])).toEqual([
      ["stdout", "after\n"],
      ["stderr", "late\n"],
      ["stdout", "end\n"],
    ]);
  });

  it("flushes one request without touching another's buffer", () => {
    const { streams, sent } = coalescer();
    const a = execution("a");
    const b = execution("b");
    streams.write(a, "stdout", "from a\n");
    streams.write(b, "stderr", "from b\n");
    streams.flush(a);
    expect(sent).toEqual([{ id: "a", name: "stdout", text: "from a\n" }]);
    streams.flushAll();
    expect(sent.at(-1)).toEqual({ id: "b", name: "stderr", text: "from b\n" });
  });

  it("sends at once past FLUSH_BYTES, both streams in order", () => {
    const { streams, sent } = coalescer();
    const cell = execution("a");
    streams.write(cell, "stderr", "first\n");
    streams.write(cell, "stdout", "x".repeat(FLUSH_BYTES));
    expect(sent.map((m) => [m.name, m.text.length])).toEqual([
      ["stderr", 6],
      ["stdout", FLUSH_BYTES],
    ]);
  });
});
