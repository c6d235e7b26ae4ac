// looplab: asyncio's toolbox for TypeScript. This barrel re-exports each concept's module; add your line, keep one per module.
export { CancelledError, TimeoutError, QueueEmpty, QueueFull, QueueShutDown, InvalidStateError, LoopLabError } from "./errors.ts";
export { sleep, now, perfCounter, stopwatch, Stopwatch, formatDuration, setTimeScale, getTimeScale } from "./clock.ts";
export { runWithObserver, type WaitKind, type TaskOutcome, type TaskObserver } from "./trace.ts";
export { Task, createTask, currentTask, allTasks, currentSignal, waitable, type TaskOptions } from "./task.ts";
export { demoServer, closeDemoServers, type DemoServer, type DemoServerOptions } from "./demo-server.ts";
export { Lock } from "./lock.ts";
export { Held } from "./held.ts";
export { Event } from "./event.ts";
export { Condition } from "./condition.ts";
export { Semaphore, BoundedSemaphore } from "./semaphore.ts";
export { Barrier, BrokenBarrierError } from "./barrier.ts";
export { Queue } from "./queue.ts";
export { PriorityQueue, naturalOrder, type Compare } from "./priority-queue.ts";
export { LifoQueue } from "./lifo-queue.ts";
export { gather, type GatherOptions, type Awaitable, type AwaitedResult } from "./gather.ts";
export { timeline, Timeline, type TimelineOptions } from "./timeline/timeline.ts";
export type { Span, Segment, Stall, State as SpanState, Outcome as SpanOutcome, TimelineData } from "./timeline/model.ts";
export { progress, type ProgressOptions } from "./progress.ts";
