// Scaffolding shared by the workload controllers: one queue, N workers, stop on shutdown.
import { createWorkQueue } from "../../client/workqueue.ts";
import { runController } from "../shared/runner.ts";
import type { EventHandler, WorkQueue } from "../../client/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Expectations } from "./expectations.ts";
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

/** Pod handler feeding expectations: pods whose controllerRef is `kind` are observed under `namespace/owner`. */
export function observeOwned(exp: Expectations, kind: string): EventHandler {
  const key = (p: KubeObject) => {
    const ref = p.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
    return ref ? `${p.metadata?.namespace}/${ref.name}` : undefined;
  };
  const see = (p: KubeObject, removed: boolean) => {
    const k = key(p);
    if (k) exp.observe(k, p, removed);
  };
  return { onAdd: (p) => see(p, false), onUpdate: (_o, p) => see(p, false), onDelete: (p) => see(p, true) };
}
