// Test-only helpers for the workload controllers: a controller context over the in-process
// API (pkg/client/test-env.ts) and a way to play kubelet by setting pod phases and readiness.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestAPI, type TestAPI } from "../../client/test-env.ts";
import { createInformerFactory } from "../../client/factory.ts";
import { createEventRecorder } from "../shared/events.ts";
import { testControllerConfig } from "../shared/testconfig.ts";
import { createLogger } from "../../util/log.ts";
import type { KubeObject } from "../../api/types.ts";
import type { ControllerContext, ControllerConfig } from "../types.ts";
import { PODS, rfc3339 } from "./podutil.ts";

export interface TestControllerEnv {
  api: TestAPI;
  ctx: ControllerContext;
  /** A settable clock behind ctx.config.now: real time while `now` is unset. */
  clock: { now?: Date };
  close(): Promise<void>;
}

export async function startControllerEnv(config: Partial<ControllerConfig> = {}): Promise<TestControllerEnv> {
  const api = await startTestAPI();
  const informers = createInformerFactory(api.client);
  const abort = new AbortController();
  const clock: { now?: Date } = {};
  const dir = mkdtempSync(join(tmpdir(), "kubun-wl-"));
  const ctx: ControllerContext = {
    client: api.client,
    informers,
    recorder: (component) => createEventRecorder({ client: api.client, component }),
    logger: createLogger("test-controllers"),
    signal: abort.signal,
    config: testControllerConfig({ hpaSyncPeriodMs: 100, localStoragePath: dir, now: () => clock.now ?? new Date(), ...config }),
  };
  return {
    api,
    ctx,
    clock,
    async close() {
      abort.abort();
      await informers.shutdown();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plays kubelet: sets a pod's phase (and Ready condition) through pods/status. */
export async function setPodPhase(api: TestAPI, pod: KubeObject, phase: "Pending" | "Running" | "Succeeded" | "Failed", ready = phase === "Running", extra: Record<string, unknown> = {}): Promise<KubeObject> {
  const ns = pod.metadata!.namespace!;
  const cur = await api.client.get<KubeObject>(PODS, pod.metadata!.name!, { namespace: ns });
  const t = rfc3339(new Date());
  cur.status = {
    ...(cur.status ?? {}),
    phase,
    conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: t }, { type: "PodScheduled", status: "True", lastTransitionTime: t }],
    ...extra,
  };
  return api.client.updateStatus(PODS, cur, { namespace: ns });
}

export async function listPods(api: TestAPI, ns: string, labelSelector?: string): Promise<KubeObject[]> {
  return (await api.client.list<KubeObject>(PODS, { namespace: ns, labelSelector })).items;
}
