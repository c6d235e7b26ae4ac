// looplab: asyncio's toolbox for TypeScript. This barrel re-exports each concept's module; add your line, keep one per module.
export { CancelledError, TimeoutError, QueueEmpty, QueueFull, QueueShutDown, InvalidStateError, LoopLabError } from "./errors.ts";
export { sleep, now, perfCounter, stopwatch, Stopwatch, formatDuration, setTimeScale, getTimeScale } from "./clock.ts";
export { runWithObserver, type WaitKind, type TaskOutcome, type TaskObserver } from "./trace.ts";
export { Task, createTask, currentTask, allTasks, currentSignal, waitable, type TaskOptions } from "./task.ts";
export { demoServer, closeDemoServers, type DemoServer, type DemoServerOptions } from "./demo-server.ts";
