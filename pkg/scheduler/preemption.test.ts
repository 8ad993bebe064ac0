// Preemption picks the node whose victims break no PodDisruptionBudget.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { KubeObject } from "../api/types.ts";
import { waitFor } from "../client/test-env.ts";
import { simNodeSpecs } from "../../test/fixtures/simnodes.ts";
import { startSchedEnv, type SchedEnv } from "./testutil.ts";
import { PDBS, PODS, PRIORITY_CLASSES } from "./types.ts";

setDefaultTimeout(30_000);
let env: SchedEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const cpu = (n: string) => [{ name: "c", image: "busybox", resources: { requests: { cpu: n } } }];

describe("preemption and PodDisruptionBudgets", () => {
  test("the victim not covered by an exhausted PDB is chosen", async () => {
    env = await startSchedEnv(simNodeSpecs(2, "node", { cpu: "2" }));
    const c = env.api.client;
    await c.create(PRIORITY_CLASSES, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000 });
    // node-0 holds a PDB-protected pod, node-1 an unprotected one; otherwise the two are alike.
    await env.createPod("guarded", { labels: { app: "g" }, nodeName: "node-0", containers: cpu("1500m") });
    await env.createPod("free", { labels: { app: "f" }, nodeName: "node-1", containers: cpu("1500m") });
    const pdb = await c.create<KubeObject>(PDBS, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "g", namespace: "default" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "g" } } } }, { namespace: "default" });
    await c.updateStatus(PDBS, { ...pdb, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1 } }, { namespace: "default" });
    await waitFor(async () => (await env!.getPod("free")).status?.phase === "Running", 5000, "free running");
    await env.createPod("vip", { priorityClassName: "high", containers: cpu("1") });
    const ev = await env.waitEvent("free", "Preempted");
    expect(ev.message).toContain("on node node-1");
    expect(await env.waitBound("vip")).toBe("node-1");
    expect((await env.getPod("guarded")).metadata?.deletionTimestamp).toBeUndefined();
    await waitFor(async () => (await c.get(PODS, "free", { namespace: "default" }).catch(() => undefined)) === undefined, 5000, "victim gone");
  });
});
