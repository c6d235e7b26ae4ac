// What `acquire()` resolves to: proof of holding a lock or semaphore slot that releases it exactly once.
//
// `await using _ = await sem.acquire()` releases at the end of the scope (sync or async disposal both work);
// `held.release()` does it by hand. A second release through the same token does nothing, so a token can never
// release a slot some other caller holds now. Plain `await sem.acquire(); ...; sem.release()` keeps working: the
// token is simply dropped.

/** Anything a token can give back. */
export interface Releasable {
  release(): void;
}

export class Held implements Disposable, AsyncDisposable {
  private owner: Releasable | undefined;

  constructor(owner: Releasable) {
    this.owner = owner;
  }

  /** True until this token has released what it held. */
  get held(): boolean {
    return this.owner !== undefined;
  }

  /** Releases what this token holds; later calls do nothing. */
  release(): void {
    const owner = this.owner;
    if (owner === undefined) return;
    this.owner = undefined;
    owner.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}
