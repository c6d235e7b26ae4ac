// The process Jupyter starts (kernel.json's argv): the kernel alone, built as one file of its own.
//
// Why not `looplab kernel`: through the command line the kernel's first code is three module hops away and
// shares chunks with the course tools; Node 20 spent ~5 ms resolving and linking those files before the
// kernel could bind its sockets. Built from here (kernel/build.mjs), everything up to the first
// kernel_info_reply is this one file and the rest loads after it.
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
