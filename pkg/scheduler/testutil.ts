// Test-only: the scheduler against the real API app with simulated nodes.
import type { KubeObject } from "../api/types.ts";
import { createInformerFactory } from "../client/factory.ts";
import { startTestAPI, waitFor, type TestAPI } from "../client/test-env.ts";
import { CORE_EVENTS, createEventRecorder } from "../controllers/shared/events.ts";
import { createLogger } from "../util/log.ts";
import { startSimNodes, type SimNodeSpec, type SimNodes } from "../../test/fixtures/simnodes.ts";
import { startScheduler, type Scheduler } from "./scheduler.ts";
import { PODS, type Pod } from "./types.ts";

export interface SchedEnv {
  api: TestAPI;
  sched: Scheduler;
  nodes: SimNodes;
  createPod(name: string, spec: Partial<Pod["spec"]> & { labels?: Record<string, string> }): Promise<Pod>;
  getPod(name: string): Promise<Pod>;
  waitBound(name: string, timeoutMs?: number): Promise<string>;
  events(name: string, reason?: string): Promise<KubeObject[]>;
  waitEvent(name: string, reason: string, timeoutMs?: number): Promise<KubeObject>;
  close(): Promise<void>;
}

export async function startSchedEnv(specs: SimNodeSpec[], o: { runPods?: boolean; initialBackoffMs?: number; maxBackoffMs?: number } = {}): Promise<SchedEnv> {
  const api = await startTestAPI();
  const ac = new AbortController();
  const informers = createInformerFactory(api.client, { initialBackoffMs: 50, maxBackoffMs: 1000 });
  const recorder = createEventRecorder({ client: api.client, component: "default-scheduler" });
  let sched: Scheduler | undefined;
  let nodes: SimNodes | undefined;
  const close = async () => {
    ac.abort();
    await sched?.stop();
    await nodes?.stop();
    await informers.shutdown();
    await api.close();
  };
  try {
    sched = startScheduler({ client: api.client, informers, recorder, logger: createLogger("test-scheduler"), signal: ac.signal, initialBackoffMs: o.initialBackoffMs ?? 100, maxBackoffMs: o.maxBackoffMs ?? 400 });
    informers.start();
    nodes = await startSimNodes(api.client, specs, { leaseRenewMs: 60_000, runPods: o.runPods });
  } catch (e) {
    await close();
    throw e;
  }
  const c = api.client;
  const getPod = (name: string) => c.get<Pod>(PODS, name, { namespace: "default" });
  const events = async (name: string, reason?: string) =>
    (await c.list(CORE_EVENTS, { namespace: "default", fieldSelector: `involvedObject.name=${name}` })).items.filter((e) => !reason || e.reason === reason);
  return {
    api,
    sched: sched!,
    nodes: nodes!,
    createPod: (name, { labels, ...spec }) =>
      c.create<Pod>(PODS, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "default", labels },
        spec: { containers: [{ name: "c", image: "busybox:1.36" }], ...spec },
      } as KubeObject, { namespace: "default" }),
    getPod,
    async waitBound(name, timeoutMs = 10_000) {
      let node = "";
      await waitFor(async () => !!(node = (await getPod(name)).spec.nodeName ?? ""), timeoutMs, `pod ${name} bound`);
      return node;
    },
    events,
    async waitEvent(name, reason, timeoutMs = 10_000) {
      let ev: KubeObject | undefined;
      await waitFor(async () => !!(ev = (await events(name, reason))[0]), timeoutMs, `${reason} event for ${name}`);
      return ev!;
    },
    close,
  };
}
