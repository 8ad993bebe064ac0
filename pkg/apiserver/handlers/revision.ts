// "Not older than N": wait briefly for the store to reach N, as upstream's watch cache does.
import { StatusError } from "../../api/errors.ts";
import type { Server } from "../context.ts";

export async function waitForRevision(s: Server, rv: number, signal: AbortSignal, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (s.backend.currentRevision() < rv) {
    if (Date.now() >= deadline || signal.aborted)
      throw new StatusError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `Timeout: Too large resource version: ${rv}, current: ${s.backend.currentRevision()}`,
        reason: "Timeout",
        details: { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 },
        code: 504,
      });
    await Bun.sleep(20);
  }
}
