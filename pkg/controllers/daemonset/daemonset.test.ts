import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, setPodPhase, listPods, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { NODES } from "../history/podutil.ts";
import { startDaemonSetController } from "./controller.ts";
import { DAEMONSETS } from "./sync.ts";
import { nodeEligibility, targetNodeName } from "./eligibility.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";

beforeAll(async () => {
  env = await startControllerEnv();
  for (const n of ["n1", "n2", "n3"]) {
    await env.api.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: n, labels: { "kubernetes.io/hostname": n } }, spec: n === "n3" ? { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] } : {} });
  }
  const running = startDaemonSetController(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const getDS = (name: string) => env.api.client.get<KubeObject>(DAEMONSETS, name, { namespace: NS });
const live = async () => (await listPods(env.api, NS, "app=agent")).filter((p) => !p.metadata!.deletionTimestamp);

describe("daemonset controller", () => {
  test("eligibility: taints, standard tolerations, selectors", () => {
    const node = (taints: unknown[], labels = {}) => ({ metadata: { name: "x", labels }, spec: { taints } });
    expect(nodeEligibility({}, node([{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }])).shouldRun).toBe(true);
    expect(nodeEligibility({}, node([{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }])).shouldRun).toBe(true);
    expect(nodeEligibility({}, node([{ key: "x", effect: "NoSchedule" }]))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeEligibility({}, node([{ key: "x", effect: "NoExecute" }]))).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeEligibility({ nodeSelector: { a: "b" } }, node([], { a: "c" })).shouldRun).toBe(false);
  });

  test("one pod per eligible node, the tainted node skipped, then a rolling update", async () => {
    await env.api.client.create(DAEMONSETS, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: NS },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "agent:1" }] } } },
    }, { namespace: NS });
    await waitFor(async () => (await live()).length === 2, 5000, "2 pods");
    await Bun.sleep(50);
    const pods = await live();
    expect(pods.map(targetNodeName).sort()).toEqual(["n1", "n2"]);
    const p = pods[0]!;
    expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: "metadata.name", operator: "In", values: [targetNodeName(p)] }] }]);
    expect(p.spec.tolerations).toContainEqual({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" });
    expect(p.spec.tolerations).toContainEqual({ key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" });
    expect(p.metadata!.labels!["controller-revision-hash"]).toBeString();
    for (const q of pods) await setPodPhase(env.api, q, "Running", true);
    await waitFor(async () => (await getDS("agent")).status?.numberReady === 2, 5000, "2 ready");
    const ds = await getDS("agent");
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, observedGeneration: ds.metadata!.generation });

    // Tolerate the taint and change the image: a third pod appears, old pods are replaced one at a time.
    await env.api.client.patch(DAEMONSETS, "agent", "merge", { spec: { template: { spec: { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }], containers: [{ name: "a", image: "agent:2" }] } } } }, { namespace: NS });
    let maxUnavailable = 0;
    await waitFor(async () => {
      const ps = await live();
      for (const q of ps) if (q.status?.phase !== "Running") await setPodPhase(env.api, q, "Running", true);
      const s = (await getDS("agent")).status;
      maxUnavailable = Math.max(maxUnavailable, (s?.desiredNumberScheduled ?? 0) - (s?.numberAvailable ?? 0));
      return ps.length === 3 && ps.every((q) => q.spec.containers[0].image === "agent:2") && s?.updatedNumberScheduled === 3 && s?.numberAvailable === 3;
    }, 10000, "rolled out to 3 nodes");
    expect(maxUnavailable).toBeLessThanOrEqual(1);
    expect((await live()).map(targetNodeName).sort()).toEqual(["n1", "n2", "n3"]);
  });
});

describe("daemonset maxSurge", () => {
  test("the new pod starts beside the old one, which goes once the new is available", async () => {
    await env.api.client.create(DAEMONSETS, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "surge", namespace: NS },
      spec: {
        selector: { matchLabels: { app: "surge" } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: { metadata: { labels: { app: "surge" } }, spec: { nodeSelector: { "kubernetes.io/hostname": "n1" }, containers: [{ name: "a", image: "s:1" }] } },
      },
    }, { namespace: NS });
    const pods = async () => (await listPods(env.api, NS, "app=surge")).filter((p) => !p.metadata!.deletionTimestamp);
    await waitFor(async () => (await pods()).length === 1, 5000, "1 pod");
    const old = (await pods())[0]!;
    await setPodPhase(env.api, old, "Running", true);
    await waitFor(async () => (await getDS("surge")).status?.numberAvailable === 1, 5000, "available");
    await env.api.client.patch(DAEMONSETS, "surge", "merge", { spec: { template: { spec: { containers: [{ name: "a", image: "s:2" }] } } } }, { namespace: NS });
    await waitFor(async () => (await pods()).length === 2, 5000, "surge pod");
    const fresh = (await pods()).find((p) => p.metadata!.uid !== old.metadata!.uid)!;
    expect(fresh.spec.containers[0].image).toBe("s:2");
    await Bun.sleep(50);
    expect((await pods()).map((p) => p.metadata!.uid)).toContain(old.metadata!.uid!);
    await setPodPhase(env.api, fresh, "Running", true);
    await waitFor(async () => {
      const ps = await pods();
      return ps.length === 1 && ps[0]!.metadata!.uid === fresh.metadata!.uid;
    }, 5000, "old pod removed");
  });
});
