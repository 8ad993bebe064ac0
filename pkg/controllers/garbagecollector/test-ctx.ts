// Test-only: the real API app in process plus a ControllerContext over it, the way
// pkg/server wires controllers (shared informers started after every starter ran).
import { createInformerFactory } from "../../client/factory.ts";
import { startTestAPI, waitFor, type TestAPI } from "../../client/test-env.ts";
import { createEventRecorder } from "../shared/events.ts";
import { testControllerConfig } from "../shared/testconfig.ts";
import { createLogger } from "../../util/log.ts";
import { createInProcessClient } from "../../client/inprocess.ts";
import type { FetchFn } from "../../client/types.ts";
import type { ControllerConfig, ControllerContext, ControllerStarter, RunningControllers } from "../types.ts";

export { waitFor };

export interface ControllerTest extends TestAPI {
  ctx: ControllerContext;
  stop(): Promise<void>;
}

/** `wrapFetch` lets a test inject faults into the controllers' requests (not the test's own). */
export async function startControllerTest(starters: ControllerStarter[], config: Partial<ControllerConfig> = {}, wrapFetch?: (f: FetchFn) => FetchFn): Promise<ControllerTest> {
  const api = await startTestAPI();
  const client = wrapFetch ? createInProcessClient(wrapFetch(api.fetch)) : api.client;
  const informers = createInformerFactory(client);
  const abort = new AbortController();
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => createEventRecorder({ client, component }),
    logger: createLogger("controllers-test"),
    signal: abort.signal,
    config: testControllerConfig({ rootCAPem: "-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n", ...config }),
  };
  const running: RunningControllers[] = [];
  for (const s of starters) running.push(await s(ctx));
  informers.start();
  await informers.waitForCacheSync(abort.signal);
  let stopped = false;
  return {
    ...api,
    ctx,
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      for (const r of running) await r.stop().catch(() => {});
      await informers.shutdown().catch(() => {});
      await api.close();
    },
  };
}

const PODS = { group: "", version: "v1", resource: "pods" };

/** Plays the kubelet: marks the pods Running and Ready (or not ready) through pods/status. */
export async function setPodsReady(client: ControllerTest["client"], namespace: string, names: string[], ready = true, at = new Date()): Promise<void> {
  const ts = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const name of names) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const p = await client.get(PODS, name, { namespace });
      p.status = { ...(p.status ?? {}), phase: "Running", podIP: p.status?.podIP ?? "10.42.0.9", conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: ts }] };
      try {
        await client.updateStatus(PODS, p, { namespace });
        break;
      } catch (e) {
        if (attempt === 4 || (e as { code?: number }).code !== 409) throw e;
      }
    }
  }
}

/**
 * Plays a kubelet for pods labelled `fake-kubelet=ready`: each new one is marked Running and
 * Ready. Returns a stop function (the watch ends with it).
 */
export function fakeKubelet(client: ControllerTest["client"], namespace: string): () => void {
  const abort = new AbortController();
  const w = client.watch(PODS, { namespace, labelSelector: "fake-kubelet=ready", resourceVersion: "0", signal: abort.signal });
  void (async () => {
    try {
      for await (const ev of w) {
        if (ev.type !== "ADDED") continue;
        const p = ev.object;
        if (p.metadata?.deletionTimestamp) continue;
        await setPodsReady(client, namespace, [p.metadata!.name!]).catch(() => {});
      }
    } catch {
      // closed
    }
  })();
  return () => {
    abort.abort();
    w.close();
  };
}
