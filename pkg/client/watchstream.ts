// Turns a watch response body (newline-delimited {"type","object"} JSON) into events.
import { StatusError } from "../api/errors.ts";
import { genericStatus } from "./request.ts";
import type { WatchEvent, WatchStream } from "./types.ts";

const TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

function parseLine<T>(line: string): WatchEvent<T> {
  let ev: any;
  try {
    ev = JSON.parse(line);
  } catch {
    throw new StatusError(genericStatus(500, "InternalError", `watch: malformed event: ${line.slice(0, 200)}`));
  }
  if (!ev || !TYPES.has(ev.type) || typeof ev.object !== "object") {
    throw new StatusError(genericStatus(500, "InternalError", `watch: unexpected event: ${line.slice(0, 200)}`));
  }
  return ev as WatchEvent<T>;
}

/**
 * `open(signal)` starts the request; the stream ends when the server closes it, when
 * close() is called, when `outer` aborts, or when the consumer stops iterating.
 */
export function createWatchStream<T>(open: (signal: AbortSignal) => Promise<Response>, outer?: AbortSignal): WatchStream<T> {
  const ac = new AbortController();
  const onOuter = () => ac.abort();
  if (outer?.aborted) ac.abort();
  else outer?.addEventListener("abort", onOuter, { once: true });

  async function* iterate(): AsyncGenerator<WatchEvent<T>> {
    let reader: { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } | undefined;
    try {
      if (ac.signal.aborted) return;
      const res = await open(ac.signal);
      if (!res.body) return;
      const rd = res.body.getReader();
      reader = rd;
      const onAbort = () => void rd.cancel().catch(() => {});
      ac.signal.addEventListener("abort", onAbort, { once: true });
      if (ac.signal.aborted) return; // closed while the request was in flight
      const dec = new TextDecoder();
      let buf = "";
      for (;;) {
        let chunk: { done: boolean; value?: Uint8Array };
        try {
          chunk = await rd.read();
        } catch (e) {
          if (ac.signal.aborted) return;
          throw e;
        }
        if (chunk.done || !chunk.value) break;
        buf += dec.decode(chunk.value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) yield parseLine<T>(line);
          if (ac.signal.aborted) return;
        }
      }
      const rest = (buf + dec.decode()).trim();
      if (rest && !ac.signal.aborted) yield parseLine<T>(rest);
    } catch (e) {
      if (ac.signal.aborted) return;
      throw e;
    } finally {
      outer?.removeEventListener("abort", onOuter);
      ac.abort();
      await reader?.cancel().catch(() => {});
    }
  }

  return {
    [Symbol.asyncIterator]: () => iterate(),
    close: () => ac.abort(),
  };
}
