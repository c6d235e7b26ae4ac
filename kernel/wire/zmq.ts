// The zeromq package, loaded with require(). Importing this CommonJS package from ESM makes Node start its
// WebAssembly export scanner (cjs-module-lexer) to find the named exports: ~4.5 MB of every kernel's memory
// for a list of names we already know.
import { createRequire } from "node:module";
import type * as Zmq from "zeromq";

const zmq = createRequire(import.meta.url)("zeromq") as typeof Zmq;

export const { Dealer, Proxy, Publisher, Request, Router, Subscriber } = zmq;
export type Dealer = Zmq.Dealer;
export type Publisher = Zmq.Publisher;
export type Request = Zmq.Request;
export type Router = Zmq.Router;
export type Subscriber = Zmq.Subscriber;
export type Socket = Zmq.Socket;
