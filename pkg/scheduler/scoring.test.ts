// Scores decide among feasible nodes: preferred pod (anti-)affinity, image locality,
// PreferNoSchedule taints; pods are tried in priority order.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { simNodeSpecs } from "../../test/fixtures/simnodes.ts";
import { startSchedEnv, type SchedEnv } from "./testutil.ts";
import { PRIORITY_CLASSES } from "./types.ts";

setDefaultTimeout(30_000);
let env: SchedEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("scoring", () => {
  test("preferred pod affinity draws a pod next to its peer; preferred anti-affinity keeps it away", async () => {
    env = await startSchedEnv(simNodeSpecs(3, "node"));
    await env.createPod("db", { labels: { app: "db" }, nodeName: "node-1" });
    const term = { labelSelector: { matchLabels: { app: "db" } }, topologyKey: "kubernetes.io/hostname" };
    await env.createPod("near", { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } } });
    expect(await env.waitBound("near")).toBe("node-1");
    for (let i = 0; i < 4; i++) {
      await env.createPod(`far${i}`, { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } } });
      expect(await env.waitBound(`far${i}`)).not.toBe("node-1");
    }
  });

  test("pods of one controller spread across nodes (system default constraints); others follow free resources", async () => {
    env = await startSchedEnv([{ name: "big", cpu: "64", memory: "256Gi" }, { name: "s1" }, { name: "s2" }]);
    const owner = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "11111111-2222-3333-4444-555555555555", controller: true }];
    const c = env.api.client;
    const counts: Record<string, number> = {};
    for (let i = 0; i < 6; i++) {
      await c.create({ group: "", version: "v1", resource: "pods" }, {
        apiVersion: "v1", kind: "Pod",
        metadata: { name: `r${i}`, namespace: "default", labels: { app: "r" }, ownerReferences: owner },
        spec: { containers: [{ name: "c", image: "busybox" }] },
      }, { namespace: "default" });
      const n = await env.waitBound(`r${i}`);
      counts[n] = (counts[n] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(["big", "s1", "s2"]);
    expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(3);
    // Without an owner nothing spreads them: LeastAllocated keeps choosing the big node.
    for (let i = 0; i < 3; i++) {
      await env.createPod(`free${i}`, {});
      expect(await env.waitBound(`free${i}`)).toBe("big");
    }
  });

  test("image locality prefers the node that has the image", async () => {
    const specs = simNodeSpecs(3, "node");
    specs[2]!.images = [{ names: ["docker.io/library/postgres:16", "postgres:16"], sizeBytes: 600 * 1024 * 1024 }];
    env = await startSchedEnv(specs);
    await env.createPod("pg", { containers: [{ name: "c", image: "postgres:16" }] });
    expect(await env.waitBound("pg")).toBe("node-2");
  });

  test("PreferNoSchedule taints are avoided while another node fits", async () => {
    const specs = simNodeSpecs(2, "node");
    specs[0]!.taints = [{ key: "soft", value: "x", effect: "PreferNoSchedule" }];
    env = await startSchedEnv(specs);
    for (let i = 0; i < 3; i++) {
      await env.createPod(`p${i}`, {});
      expect(await env.waitBound(`p${i}`)).toBe("node-1");
    }
  });

  test("higher PriorityClass pods are scheduled first when room is short", async () => {
    // Back-off of 1 ms: once the node frees up both pods are active and priority alone decides.
    env = await startSchedEnv([{ name: "n", cpu: "1" }], { initialBackoffMs: 1, maxBackoffMs: 1 });
    const c = env.api.client;
    await c.create(PRIORITY_CLASSES, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "vip" }, value: 5000 });
    // A blocker holds the node while both wait in the queue.
    await env.createPod("blocker", { nodeName: "n", containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "1" } } }] });
    const want = { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "600m" } } }] };
    await env.createPod("plain", want);
    await env.waitEvent("plain", "FailedScheduling");
    await env.createPod("vip", { ...want, priorityClassName: "vip", preemptionPolicy: "Never" });
    await env.waitEvent("vip", "FailedScheduling");
    await c.delete({ group: "", version: "v1", resource: "pods" }, "blocker", { namespace: "default", gracePeriodSeconds: 0 });
    expect(await env.waitBound("vip")).toBe("n");
    expect((await env.getPod("plain")).spec.nodeName).toBeUndefined();
  });
});
