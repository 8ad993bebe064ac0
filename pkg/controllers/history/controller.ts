// Scaffolding shared by the workload controllers: one queue, N workers, stop on shutdown.
import { createWorkQueue } from "../../client/workqueue.ts";
import { runController } from "../shared/runner.ts";
import type { WorkQueue } from "../../client/types.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { StatusError } from "../../api/errors.ts";

export interface WorkerSpec {
  name: string;
  workers?: number;
  sync: (key: string) => Promise<void>;
}

export function startQueueWorker(ctx: ControllerContext, spec: WorkerSpec, wire: (queue: WorkQueue<string>) => (() => void) | void): RunningControllers & { queue: WorkQueue<string> } {
  const queue = createWorkQueue<string>();
  const unwire = wire(queue);
  const running = runController({ name: spec.name, workers: spec.workers ?? 2, queue, sync: spec.sync, logger: ctx.logger });
  const onAbort = () => queue.shutDown();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  return {
    queue,
    async stop() {
      ctx.signal.removeEventListener("abort", onAbort);
      if (unwire) unwire();
      await running.stop();
    },
  };
}

/** Swallows a 404 (already gone); rethrows anything else. */
export function ignoreNotFound(e: unknown): undefined {
  if (e instanceof StatusError && e.code === 404) return undefined;
  throw e;
}

/** Swallows a 409 AlreadyExists; rethrows anything else. */
export function ignoreAlreadyExists(e: unknown): undefined {
  if (e instanceof StatusError && e.code === 409 && e.status.reason === "AlreadyExists") return undefined;
  throw e;
}
