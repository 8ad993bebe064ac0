// The scheduler against the real API app with 1–3 simulated nodes: upstream's messages,
// placement rules, retries on cluster changes and preemption.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { waitFor } from "../client/test-env.ts";
import { simNodeSpecs } from "../../test/fixtures/simnodes.ts";
import { startSchedEnv, type SchedEnv } from "./testutil.ts";
import { NODES, PODS, PRIORITY_CLASSES } from "./types.ts";

setDefaultTimeout(30_000);
let env: SchedEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const zones = () =>
  simNodeSpecs(3, "node").map((s, i) => ({ ...s, labels: { "topology.kubernetes.io/zone": `zone-${"abc"[i]}` } }));
const cpu = (n: string) => ({ resources: { requests: { cpu: n } } });

describe("scheduler", () => {
  test("an over-large request stays Pending with upstream's FailedScheduling text, then fits a new node", async () => {
    env = await startSchedEnv([{ name: "small", cpu: "4" }]);
    await env.createPod("big", { containers: [{ name: "c", image: "busybox", ...cpu("8") }] });
    const ev = await env.waitEvent("big", "FailedScheduling");
    const msg = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    expect(ev.message).toBe(msg);
    expect(ev.type).toBe("Warning");
    expect(ev.source).toMatchObject({ component: "default-scheduler" });
    await waitFor(async () => (await env!.getPod("big")).status?.conditions?.some((c) => c.type === "PodScheduled") ?? false, 5000, "condition");
    const p = await env.getPod("big");
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status?.phase).toBe("Pending");
    expect(p.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable", message: msg });
    // A node that fits appears: the parked pod is retried and lands there.
    await env.api.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "large" }, status: { allocatable: { cpu: "16", memory: "32Gi", pods: "110" }, capacity: { cpu: "16", memory: "32Gi", pods: "110" } } });
    expect(await env.waitBound("big")).toBe("large");
    const sched = await env.waitEvent("big", "Scheduled");
    expect(sched.message).toBe("Successfully assigned default/big to large");
  });

  test("requests count init containers by the max rule and pod overhead; pods count vs allocatable", async () => {
    env = await startSchedEnv([{ name: "n", cpu: "2", pods: "2" }]);
    // init 1500m > containers 500m: the pod needs 1500m (+ 100m overhead).
    await env.createPod("a", { initContainers: [{ name: "i", image: "busybox", ...cpu("1500m") }], containers: [{ name: "c", image: "busybox", ...cpu("500m") }], overhead: { cpu: "100m" } });
    expect(await env.waitBound("a")).toBe("n");
    await env.createPod("b", { containers: [{ name: "c", image: "busybox", ...cpu("500m") }] });
    const ev = await env.waitEvent("b", "FailedScheduling");
    expect(ev.message).toStartWith("0/1 nodes are available: 1 Insufficient cpu.");
    await env.createPod("c", { containers: [{ name: "c", image: "busybox", ...cpu("100m") }] });
    expect(await env.waitBound("c")).toBe("n");
    await env.createPod("d", {});
    expect((await env.waitEvent("d", "FailedScheduling")).message).toStartWith("0/1 nodes are available: 1 Too many pods.");
  });

  test("nodeSelector, required and preferred node affinity", async () => {
    env = await startSchedEnv(zones());
    await env.createPod("sel", { nodeSelector: { "topology.kubernetes.io/zone": "zone-c" } });
    await env.createPod("req", {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-b"] }] }] } } },
    });
    await env.createPod("pref", {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["zone-a"] }] } }] } },
    });
    await env.createPod("none", { nodeSelector: { disk: "ssd" } });
    expect(await env.waitBound("sel")).toBe("node-2");
    expect(await env.waitBound("req")).toBe("node-1");
    expect(await env.waitBound("pref")).toBe("node-0");
    const ev = await env.waitEvent("none", "FailedScheduling");
    expect(ev.message).toBe("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    // Labelling a node makes the parked pod schedulable.
    await env.api.client.patch(NODES, "node-1", "merge", { metadata: { labels: { disk: "ssd" } } });
    expect(await env.waitBound("none")).toBe("node-1");
  });

  test("required pod anti-affinity spreads replicas, the fourth stays Pending; required affinity co-locates", async () => {
    env = await startSchedEnv(zones());
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" }] } };
    for (const n of ["w1", "w2", "w3", "w4"]) await env.createPod(n, { labels: { app: "web" }, affinity: anti });
    const placed = new Set<string>();
    let pending = "";
    await waitFor(async () => {
      const pods = await Promise.all(["w1", "w2", "w3", "w4"].map((n) => env!.getPod(n)));
      placed.clear();
      for (const p of pods) if (p.spec.nodeName) placed.add(p.spec.nodeName);
      pending = pods.find((p) => !p.spec.nodeName)?.metadata?.name ?? "";
      return placed.size === 3;
    }, 10_000, "three web pods on three nodes");
    expect(pending).not.toBe("");
    const ev = await env.waitEvent(pending, "FailedScheduling");
    expect(ev.message).toBe("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    // Affinity to the pod on node-2's zone.
    const w = await Promise.all(["w1", "w2", "w3", "w4"].map((n) => env!.getPod(n)));
    const onC = w.find((p) => p.spec.nodeName === "node-2")!;
    await env.api.client.patch(PODS, onC.metadata!.name!, "merge", { metadata: { labels: { app: "web", cache: "yes" } } }, { namespace: "default" });
    await env.createPod("near", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { cache: "yes" } }, topologyKey: "topology.kubernetes.io/zone" }] } } });
    expect(await env.waitBound("near")).toBe("node-2");
    // Deleting a web pod frees its node for the pending one.
    await env.api.client.delete(PODS, onC.metadata!.name!, { namespace: "default", gracePeriodSeconds: 0 });
    expect(await env.waitBound(pending)).toBe("node-2");
  });

  test("pod affinity terms with a namespaceSelector look into the selected namespaces", async () => {
    env = await startSchedEnv(zones());
    const c = env.api.client;
    await c.create({ group: "", version: "v1", resource: "namespaces" }, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a", labels: { team: "a" } } });
    await c.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: "x", namespace: "team-a", labels: { app: "x" } }, spec: { nodeName: "node-2", containers: [{ name: "c", image: "busybox" }] } }, { namespace: "team-a" });
    const term = { labelSelector: { matchLabels: { app: "x" } }, namespaceSelector: { matchLabels: { team: "a" } }, topologyKey: "kubernetes.io/hostname" };
    await env.createPod("follow", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } });
    expect(await env.waitBound("follow")).toBe("node-2");
    // Without the namespaceSelector the term only looks in the pod's own namespace: nothing matches there.
    await env.createPod("lost", { labels: { app: "other" }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "x" } }, topologyKey: "kubernetes.io/hostname" }] } } });
    expect((await env.waitEvent("lost", "FailedScheduling")).message).toStartWith("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");
  });

  test("taints and tolerations", async () => {
    const specs = zones();
    specs[0]!.taints = [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }];
    env = await startSchedEnv(specs);
    for (let i = 0; i < 6; i++) await env.createPod(`p${i}`, {});
    for (let i = 0; i < 6; i++) expect(await env.waitBound(`p${i}`)).not.toBe("node-0");
    await env.createPod("tol", { nodeSelector: { "kubernetes.io/hostname": "node-0" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] });
    expect(await env.waitBound("tol")).toBe("node-0");
    await env.createPod("intol", { nodeSelector: { "kubernetes.io/hostname": "node-0" } });
    const ev = await env.waitEvent("intol", "FailedScheduling");
    expect(ev.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  test("topology spread: DoNotSchedule with maxSkew 1 across zones", async () => {
    env = await startSchedEnv(zones());
    const tsc = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" as const, labelSelector: { matchLabels: { app: "s" } } }];
    // Pre-load zone-a with two unrelated-selector pods that do match: the spread must compensate.
    await env.createPod("pre1", { labels: { app: "s" }, nodeName: "node-0" });
    await env.createPod("pre2", { labels: { app: "s" }, nodeName: "node-0" });
    for (let i = 0; i < 4; i++) {
      await env.createPod(`s${i}`, { labels: { app: "s" }, topologySpreadConstraints: tsc });
      await env.waitBound(`s${i}`);
    }
    const counts: Record<string, number> = {};
    for (const n of ["pre1", "pre2", "s0", "s1", "s2", "s3"]) {
      const node = (await env.getPod(n)).spec.nodeName!;
      counts[node] = (counts[node] ?? 0) + 1;
    }
    expect(counts).toEqual({ "node-0": 2, "node-1": 2, "node-2": 2 });
    // A node lacking the key: missing-label reason, unresolvable by preemption.
    await env.api.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "nozone", labels: { "kubernetes.io/hostname": "nozone" } }, status: { allocatable: { cpu: "4", memory: "8Gi", pods: "110" } } });
    await env.createPod("only-nozone", { labels: { app: "s" }, nodeSelector: { "kubernetes.io/hostname": "nozone" }, topologySpreadConstraints: tsc });
    const ev = await env.waitEvent("only-nozone", "FailedScheduling");
    expect(ev.message).toStartWith("0/4 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 3 node(s) didn't match Pod's node affinity/selector.");
  });

  test("hostPort conflict", async () => {
    env = await startSchedEnv([{ name: "only" }]);
    const ports = (p: number) => ({ containers: [{ name: "c", image: "busybox", ports: [{ containerPort: 80, hostPort: p, protocol: "TCP" }] }] });
    await env.createPod("hp1", ports(8080));
    expect(await env.waitBound("hp1")).toBe("only");
    await env.createPod("hp2", ports(8080));
    await env.createPod("hp3", ports(8081));
    expect(await env.waitBound("hp3")).toBe("only");
    const ev = await env.waitEvent("hp2", "FailedScheduling");
    expect(ev.message).toBe("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
  });

  test("preemption: a higher-priority pod evicts a lower one and takes its place", async () => {
    env = await startSchedEnv([{ name: "n1", cpu: "2" }]);
    const c = env.api.client;
    await c.create(PRIORITY_CLASSES, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "high" }, value: 1000 });
    await c.create(PRIORITY_CLASSES, { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "low" }, value: 10 });
    await env.createPod("low", { priorityClassName: "low", containers: [{ name: "c", image: "busybox", ...cpu("1500m") }] });
    expect(await env.waitBound("low")).toBe("n1");
    const lowUid = (await env.getPod("low")).metadata!.uid;
    await waitFor(async () => (await env!.getPod("low")).status?.phase === "Running", 5000, "low running");
    await env.createPod("high", { priorityClassName: "high", containers: [{ name: "c", image: "busybox", ...cpu("1") }] });
    const pre = await env.waitEvent("low", "Preempted");
    const highUid = (await env.getPod("high")).metadata!.uid;
    expect(pre.message).toBe(`Preempted by pod ${highUid} on node n1`);
    expect(pre.involvedObject).toMatchObject({ uid: lowUid });
    const failed = await env.waitEvent("high", "FailedScheduling");
    expect(failed.message).toBe("0/1 nodes are available: 1 Insufficient cpu.");
    expect(await env.waitBound("high")).toBe("n1");
    await waitFor(async () => (await c.get(PODS, "low", { namespace: "default" }).catch(() => undefined)) === undefined, 5000, "low deleted");
    // A pod that may not preempt says so.
    await env.createPod("never", { priorityClassName: "high", preemptionPolicy: "Never", containers: [{ name: "c", image: "busybox", ...cpu("1500m") }] });
    expect((await env.waitEvent("never", "FailedScheduling")).message).toBe("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
  });

  test("a cordoned node takes no pods until uncordoned", async () => {
    env = await startSchedEnv([{ name: "n", unschedulable: true }]);
    await env.createPod("wait", {});
    expect((await env.waitEvent("wait", "FailedScheduling")).message).toBe(
      "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    await env.api.client.patch(NODES, "n", "merge", { spec: { unschedulable: null } });
    expect(await env.waitBound("wait")).toBe("n");
  });

  test("only pods for default-scheduler are scheduled", async () => {
    env = await startSchedEnv([{ name: "n" }]);
    await env.createPod("other", { schedulerName: "my-scheduler" });
    await env.createPod("mine", {});
    expect(await env.waitBound("mine")).toBe("n");
    expect((await env.getPod("other")).spec.nodeName).toBeUndefined();
    expect(await env.events("other")).toEqual([]);
  });
});
