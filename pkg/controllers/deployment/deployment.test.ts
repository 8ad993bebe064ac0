import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../api/types.ts";
import { startDeploymentController } from "./deployment.ts";
import { REPLICA_SET, startReplicaController } from "../replicaset/replicaset.ts";
import { computeHash, fenceposts, safeEncodeString } from "./util.ts";
import { fakeKubelet, startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const DEPLOY = { group: "apps", version: "v1", resource: "deployments" };
const RS = REPLICA_SET.gvr;
const PODS = { group: "", version: "v1", resource: "pods" };
const NS = "default";
let t: ControllerTest;
let stopKubelet: () => void;
beforeAll(async () => {
  t = await startControllerTest([startDeploymentController, (c) => startReplicaController(c, REPLICA_SET)]);
  stopKubelet = fakeKubelet(t.client, NS);
});
afterAll(async () => {
  stopKubelet?.();
  await t?.stop();
});

const deployment = (name: string, spec: Record<string, unknown> = {}, ready = true): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, ...(ready ? { "fake-kubelet": "ready" } : {}) } }, spec: { containers: [{ name: "c", image: "busybox:1" }] } },
    ...spec,
  },
});
const getD = (name: string) => t.client.get(DEPLOY, name, { namespace: NS });
const rsOf = async (name: string) => (await t.client.list(RS, { namespace: NS, labelSelector: `app=${name}` })).items;
const livePods = async (name: string) => (await t.client.list(PODS, { namespace: NS, labelSelector: `app=${name}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
const cond = (d: KubeObject, type: string) => (d.status?.conditions ?? []).find((c: any) => c.type === type);
const rolledOut = async (name: string, n: number) => {
  const d = await getD(name);
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= d.metadata!.generation! && (s.updatedReplicas ?? 0) === n && (s.replicas ?? 0) === n && (s.availableReplicas ?? 0) === n && cond(d, "Progressing")?.reason === "NewReplicaSetAvailable";
};
const setImage = (name: string, image: string) => t.client.patch(DEPLOY, name, "strategic", { spec: { template: { spec: { containers: [{ name: "c", image }] } } } }, { namespace: NS });

describe("deployment helpers", () => {
  test("fenceposts round surge up and unavailable down; both zero means one unavailable", () => {
    const d = (replicas: number, maxSurge: unknown, maxUnavailable: unknown) => ({ spec: { replicas, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } } });
    expect(fenceposts(d(10, "25%", "25%"))).toEqual({ surge: 3, unavailable: 2 });
    expect(fenceposts(d(3, 0, 0))).toEqual({ surge: 0, unavailable: 1 });
    expect(fenceposts(d(3, 1, 0))).toEqual({ surge: 1, unavailable: 0 });
  });
  test("template hash is stable, safe-encoded, and changes with collisionCount", () => {
    const tmpl = { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } };
    expect(computeHash(tmpl)).toBe(computeHash(structuredClone(tmpl)));
    expect(computeHash(tmpl)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(computeHash(tmpl, 1)).not.toBe(computeHash(tmpl));
    expect(safeEncodeString("0123")).toBe("4567");
  });
});

describe("deployment controller", () => {
  test("creates a ReplicaSet with pod-template-hash, rolls out, reports status and conditions", async () => {
    await t.client.create(DEPLOY, deployment("web", { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }), { namespace: NS });
    await waitFor(() => rolledOut("web", 3), 15_000, "web rolled out");
    const [rs] = await rsOf("web");
    const hash = rs!.metadata!.labels!["pod-template-hash"];
    expect(rs!.metadata!.name).toBe(`web-${hash}`);
    expect(rs!.spec.selector.matchLabels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs!.metadata!.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4" });
    const d = await getD("web");
    expect(d.metadata!.annotations!["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(cond(d, "Available")).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." });
    expect(cond(d, "Progressing")).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    const events = (await t.client.list({ group: "", version: "v1", resource: "events" }, { namespace: NS })).items;
    expect(events.some((e) => e.reason === "ScalingReplicaSet" && e.message === `Scaled up replica set web-${hash} from 0 to 3`)).toBe(true);
  }, 30_000);

  test("scale to 5 and to 0", async () => {
    await t.client.patch(DEPLOY, "web", "merge", { spec: { replicas: 5 } }, { namespace: NS });
    await waitFor(async () => (await livePods("web")).length === 5 && (await rolledOut("web", 5)), 15_000, "5 replicas");
    await t.client.patch(DEPLOY, "web", "merge", { spec: { replicas: 0 } }, { namespace: NS });
    await waitFor(async () => (await livePods("web")).length === 0 && (await getD("web")).status?.replicas === undefined, 15_000, "0 replicas");
    await t.client.patch(DEPLOY, "web", "merge", { spec: { replicas: 3 } }, { namespace: NS });
    await waitFor(() => rolledOut("web", 3), 15_000, "back to 3");
  }, 30_000);

  test("a template change rolls out without dropping below replicas - maxUnavailable ready pods", async () => {
    const ready = new Map<string, boolean>();
    let minReady = Infinity;
    const abort = new AbortController();
    const w = t.client.watch(PODS, { namespace: NS, labelSelector: "app=web", resourceVersion: "0", signal: abort.signal });
    let synced = false;
    const watching = (async () => {
      for await (const ev of w) {
        if (ev.type === "ERROR" || ev.type === "BOOKMARK") continue;
        const p = ev.object;
        const isReady = ev.type !== "DELETED" && !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
        ready.set(p.metadata!.name!, isReady);
        const n = [...ready.values()].filter(Boolean).length;
        if (synced) minReady = Math.min(minReady, n);
      }
    })().catch(() => {});
    await waitFor(() => [...ready.values()].filter(Boolean).length === 3, 5_000, "watch saw 3 ready");
    synced = true;
    await setImage("web", "busybox:2");
    await waitFor(() => rolledOut("web", 3), 20_000, "rolled out v2");
    abort.abort();
    w.close();
    await watching;
    expect(minReady).toBeGreaterThanOrEqual(3);
    const rss = await rsOf("web");
    expect(rss).toHaveLength(2);
    const byRev = Object.fromEntries(rss.map((r) => [r.metadata!.annotations!["deployment.kubernetes.io/revision"], r]));
    expect(byRev["2"].spec.template.spec.containers[0].image).toBe("busybox:2");
    expect(byRev["1"].spec.replicas).toBe(0);
    expect((await getD("web")).metadata!.annotations!["deployment.kubernetes.io/revision"]).toBe("2");
  }, 30_000);

  test("rollback to the old template moves the old ReplicaSet to a new revision", async () => {
    const old = (await rsOf("web")).find((r) => r.metadata!.annotations!["deployment.kubernetes.io/revision"] === "1")!;
    const template = structuredClone(old.spec.template);
    delete template.metadata.labels["pod-template-hash"];
    // What `kubectl rollout undo` sends: the old template as a patch.
    await t.client.patch(DEPLOY, "web", "json", [{ op: "replace", path: "/spec/template", value: template }], { namespace: NS });
    await waitFor(async () => (await getD("web")).metadata!.annotations!["deployment.kubernetes.io/revision"] === "3" && (await rolledOut("web", 3)), 20_000, "rolled back");
    const rs = await t.client.get(RS, old.metadata!.name!, { namespace: NS });
    expect(rs.metadata!.annotations!["deployment.kubernetes.io/revision"]).toBe("3");
    expect(rs.metadata!.annotations!["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(rs.spec.replicas).toBe(3);
    expect(await rsOf("web")).toHaveLength(2);
  }, 30_000);

  test("paused deployments do not roll out; resume continues", async () => {
    await t.client.patch(DEPLOY, "web", "merge", { spec: { paused: true } }, { namespace: NS });
    await waitFor(async () => cond(await getD("web"), "Progressing")?.reason === "DeploymentPaused", 10_000, "paused condition");
    expect(cond(await getD("web"), "Progressing")).toMatchObject({ status: "Unknown", message: "Deployment is paused" });
    await setImage("web", "busybox:3");
    await Bun.sleep(300); // nothing may happen while paused: give the controller the chance to misbehave
    expect(await rsOf("web")).toHaveLength(2);
    await t.client.patch(DEPLOY, "web", "merge", { spec: { paused: false } }, { namespace: NS });
    await waitFor(async () => (await rsOf("web")).length === 3 && (await rolledOut("web", 3)), 20_000, "resumed rollout");
  }, 30_000);

  test("revisionHistoryLimit removes the oldest scaled-down ReplicaSets", async () => {
    await t.client.patch(DEPLOY, "web", "merge", { spec: { revisionHistoryLimit: 1 } }, { namespace: NS });
    await setImage("web", "busybox:4");
    await waitFor(async () => (await rolledOut("web", 3)) && (await rsOf("web")).length === 2, 20_000, "history trimmed");
  }, 30_000);

  test("Recreate never runs old and new pods together", async () => {
    await t.client.create(DEPLOY, deployment("rec", { replicas: 2, strategy: { type: "Recreate" } }), { namespace: NS });
    await waitFor(() => rolledOut("rec", 2), 15_000, "rec rolled out");
    const hashes = new Set<string>();
    let mixed = false;
    const live = new Map<string, string>();
    const abort = new AbortController();
    const w = t.client.watch(PODS, { namespace: NS, labelSelector: "app=rec", resourceVersion: "0", signal: abort.signal });
    const watching = (async () => {
      for await (const ev of w) {
        if (ev.type === "ERROR" || ev.type === "BOOKMARK") continue;
        const p = ev.object;
        if (ev.type === "DELETED") live.delete(p.metadata!.name!);
        else live.set(p.metadata!.name!, p.metadata!.labels!["pod-template-hash"]!);
        for (const h of live.values()) hashes.add(h);
        if (new Set(live.values()).size > 1) mixed = true;
      }
    })().catch(() => {});
    await setImage("rec", "busybox:2");
    await waitFor(async () => (await getD("rec")).metadata!.generation === 2 && (await rolledOut("rec", 2)), 20_000, "recreated");
    abort.abort();
    w.close();
    await watching;
    expect(hashes.size).toBe(2);
    expect(mixed).toBe(false);
  }, 30_000);

  test("progressDeadlineSeconds: a rollout that never becomes ready is reported as timed out", async () => {
    await t.client.create(DEPLOY, deployment("stuck", { replicas: 1, progressDeadlineSeconds: 1 }, false), { namespace: NS });
    await waitFor(async () => cond(await getD("stuck"), "Progressing")?.reason === "ProgressDeadlineExceeded", 15_000, "deadline exceeded");
    const d = await getD("stuck");
    expect(cond(d, "Progressing").status).toBe("False");
    expect(cond(d, "Progressing").message).toMatch(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    expect(cond(d, "Available")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
    expect(d.status.unavailableReplicas).toBe(1);
  }, 30_000);
});

describe("hash collisions", () => {
  test("a foreign ReplicaSet holding the hashed name bumps collisionCount and a new hash is used", async () => {
    const d = deployment("coll", { replicas: 1 });
    // The hash covers the stored (defaulted) template: ask the server for it with a dry run.
    const stored = await t.client.create<KubeObject>(DEPLOY, d, { namespace: NS, dryRun: true });
    const hash = computeHash(stored.spec.template);
    const foreign = structuredClone(d.spec.template);
    foreign.spec.containers[0].image = "other:1";
    foreign.metadata.labels = { app: "someone-else" };
    await t.client.create(RS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: `coll-${hash}`, labels: { app: "someone-else" } }, spec: { replicas: 0, selector: { matchLabels: { app: "someone-else" } }, template: foreign } }, { namespace: NS });
    await t.client.create(DEPLOY, d, { namespace: NS });
    await waitFor(() => rolledOut("coll", 1), 15_000, "coll rolled out");
    const got = await getD("coll");
    expect(got.status.collisionCount).toBe(1);
    const [rs] = await rsOf("coll");
    expect(rs!.metadata!.name).toBe(`coll-${computeHash(stored.spec.template, 1)}`);
  }, 30_000);
});
