// HMAC-SHA256 message signatures: sign outgoing frames, verify incoming ones in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

export class Signer {
  readonly #key: Buffer;

  constructor(key: string) {
    this.#key = Buffer.from(key, "utf8");
  }

  /** The spec: an empty key means messages are not signed (the signature frame is empty). */
  get enabled(): boolean {
    return this.#key.length > 0;
  }

  sign(parts: readonly Buffer[]): string {
    if (!this.enabled) return "";
    const hmac = createHmac("sha256", this.#key);
    for (const part of parts) hmac.update(part);
    return hmac.digest("hex");
  }

  verify(signature: Buffer, parts: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(parts), "ascii");
    // timingSafeEqual needs equal lengths; comparing lengths first leaks only the length, which is public.
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}
