import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, setPodPhase, listPods, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { CONTROLLER_REVISIONS, PODS, PVCS } from "../history/podutil.ts";
import { startStatefulSetController } from "./controller.ts";
import { STATEFULSETS } from "./sync.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";

beforeAll(async () => {
  env = await startControllerEnv();
  const running = startStatefulSetController(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const sts = (name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    serviceName: `${name}-svc`,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx:1" }] } },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    ...extra,
  },
});
const getSet = (name: string) => env.api.client.get<KubeObject>(STATEFULSETS, name, { namespace: NS });
const podNames = async (app: string) => (await listPods(env.api, NS, `app=${app}`)).filter((p) => !p.metadata!.deletionTimestamp).map((p) => p.metadata!.name!).sort();
const getPod = (name: string) => env.api.client.get<KubeObject>(PODS, name, { namespace: NS });

describe("statefulset controller", () => {
  test("3 replicas start in order with stable names, claims, and are kept on scale-down", async () => {
    await env.api.client.create(STATEFULSETS, sts("web", 3), { namespace: NS });
    for (let i = 0; i < 3; i++) {
      await waitFor(async () => (await podNames("web")).length === i + 1, 5000, `web-${i}`);
      // OrderedReady: the next pod waits until this one is Running and Ready.
      expect(await podNames("web")).toEqual(Array.from({ length: i + 1 }, (_, k) => `web-${k}`));
      const p = await getPod(`web-${i}`);
      expect(p.metadata!.labels).toMatchObject({ "statefulset.kubernetes.io/pod-name": `web-${i}`, "apps.kubernetes.io/pod-index": String(i) });
      expect(p.metadata!.labels!["controller-revision-hash"]).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
      expect(p.spec.hostname).toBe(`web-${i}`);
      expect(p.spec.subdomain).toBe("web-svc");
      expect(p.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: `data-web-${i}` } });
      await Bun.sleep(50);
      expect((await podNames("web")).length).toBe(i + 1);
      await setPodPhase(env.api, p, "Running", true);
    }
    await waitFor(async () => (await getSet("web")).status?.readyReplicas === 3, 5000, "3 ready");
    const s = await getSet("web");
    expect(s.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: s.metadata!.generation });
    expect(s.status.currentRevision).toBe(s.status.updateRevision);
    const revs = (await env.api.client.list<KubeObject>(CONTROLLER_REVISIONS, { namespace: NS })).items.filter((r) => r.metadata!.ownerReferences?.[0]?.uid === s.metadata!.uid);
    expect(revs.map((r) => r.metadata!.name)).toEqual([s.status.updateRevision]);
    expect(revs[0]!.revision).toBe(1);
    const hash = revs[0]!.metadata!.labels!["controller-revision-hash"];
    expect((await getPod("web-0")).metadata!.labels!["controller-revision-hash"]).toBe(hash);
    const claims = (await env.api.client.list<KubeObject>(PVCS, { namespace: NS })).items.map((c) => c.metadata!.name).sort();
    expect(claims).toEqual(["data-web-0", "data-web-1", "data-web-2"]);
    expect((await env.api.client.get<KubeObject>(PVCS, "data-web-0", { namespace: NS })).metadata!.labels).toEqual({ app: "web" });

    await env.api.client.patch(STATEFULSETS, "web", "merge", { spec: { replicas: 1 } }, { namespace: NS });
    await waitFor(async () => (await podNames("web")).length === 1, 5000, "scaled to 1");
    expect(await podNames("web")).toEqual(["web-0"]);
    await waitFor(async () => (await getSet("web")).status?.replicas === 1, 5000, "status replicas 1");
    const after = (await env.api.client.list<KubeObject>(PVCS, { namespace: NS })).items.map((c) => c.metadata!.name).sort();
    expect(after).toEqual(["data-web-0", "data-web-1", "data-web-2"]);
  });

  test("rolling update with partition updates only ordinals ≥ partition, highest first", async () => {
    await env.api.client.create(STATEFULSETS, sts("ru", 3, { podManagementPolicy: "Parallel", volumeClaimTemplates: [], updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }), { namespace: NS });
    await waitFor(async () => (await podNames("ru")).length === 3, 5000, "3 pods at once (Parallel)");
    for (const n of await podNames("ru")) await setPodPhase(env.api, await getPod(n), "Running", true);
    await waitFor(async () => (await getSet("ru")).status?.readyReplicas === 3, 5000, "ready");
    const rev1 = (await getSet("ru")).status.updateRevision;
    await env.api.client.patch(STATEFULSETS, "ru", "merge", { spec: { template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } } }, { namespace: NS });
    const image = async (n: string) => (await getPod(n).catch(() => undefined))?.spec.containers[0].image;
    // Drive pods like a kubelet would: any new pod becomes ready.
    await waitFor(async () => {
      for (const p of await listPods(env.api, NS, "app=ru")) if (!p.metadata!.deletionTimestamp && p.status?.phase !== "Running") await setPodPhase(env.api, p, "Running", true);
      return (await image("ru-2")) === "nginx:2" && (await image("ru-1")) === "nginx:2" && (await getSet("ru")).status?.updatedReplicas === 2;
    }, 8000, "ordinals 2 and 1 updated");
    expect(await image("ru-0")).toBe("nginx:1");
    const s = await getSet("ru");
    expect(s.status.currentRevision).toBe(rev1);
    expect(s.status.updateRevision).not.toBe(rev1);
    expect(s.status.currentReplicas).toBe(1);
  });
});

describe("statefulset claim retention", () => {
  test("whenScaled Delete hands condemned claims to their pod; whenDeleted Delete makes the set own claims", async () => {
    await env.api.client.create(STATEFULSETS, sts("ret", 2, { podManagementPolicy: "Parallel", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" } }), { namespace: NS });
    await waitFor(async () => (await podNames("ret")).length === 2, 5000, "2 pods");
    const set = await getSet("ret");
    const claim = (n: string) => env.api.client.get<KubeObject>(PVCS, n, { namespace: NS });
    expect((await claim("data-ret-1")).metadata!.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "StatefulSet", name: "ret", uid: set.metadata!.uid!, controller: true, blockOwnerDeletion: true }]);
    const pod1 = await getPod("ret-1");
    await env.api.client.patch(STATEFULSETS, "ret", "merge", { spec: { replicas: 1 } }, { namespace: NS });
    await waitFor(async () => (await claim("data-ret-1")).metadata!.ownerReferences?.some((r) => r.kind === "Pod") === true, 5000, "claim owned by its pod");
    expect((await claim("data-ret-1")).metadata!.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Pod", name: "ret-1", uid: pod1.metadata!.uid!, controller: true, blockOwnerDeletion: true }]);
    await waitFor(async () => (await podNames("ret")).length === 1, 5000, "scaled down");
  });

  test("OnDelete: a deleted pod comes back on the update revision", async () => {
    await env.api.client.create(STATEFULSETS, sts("od", 1, { volumeClaimTemplates: [], updateStrategy: { type: "OnDelete" } }), { namespace: NS });
    await waitFor(async () => (await podNames("od")).length === 1, 5000, "pod");
    await setPodPhase(env.api, await getPod("od-0"), "Running", true);
    await env.api.client.patch(STATEFULSETS, "od", "merge", { spec: { template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } } }, { namespace: NS });
    await waitFor(async () => (await getSet("od")).status?.updateRevision !== (await getSet("od")).status?.currentRevision, 5000, "new revision");
    await Bun.sleep(50);
    expect((await getPod("od-0")).spec.containers[0].image).toBe("nginx:1");
    const old = await getPod("od-0");
    await env.api.client.delete(PODS, "od-0", { namespace: NS, gracePeriodSeconds: 0 });
    await waitFor(async () => {
      const p = await getPod("od-0").catch(() => undefined);
      return !!p && p.metadata!.uid !== old.metadata!.uid;
    }, 5000, "recreated");
    expect((await getPod("od-0")).spec.containers[0].image).toBe("nginx:2");
  });
});

describe("statefulset ordinals.start", () => {
  test("ordinals begin at spec.ordinals.start", async () => {
    await env.api.client.create(STATEFULSETS, sts("ord", 2, { podManagementPolicy: "Parallel", volumeClaimTemplates: [], ordinals: { start: 5 } }), { namespace: NS });
    await waitFor(async () => (await podNames("ord")).length === 2, 5000, "2 pods");
    expect(await podNames("ord")).toEqual(["ord-5", "ord-6"]);
    expect((await getPod("ord-6")).metadata!.labels!["apps.kubernetes.io/pod-index"]).toBe("6");
  });
});

describe("statefulset adoption", () => {
  test("a set re-created after an orphaning delete adopts its pods instead of stalling", async () => {
    await env.api.client.create(STATEFULSETS, sts("adopt", 2, { volumeClaimTemplates: [] }), { namespace: NS });
    for (let i = 0; i < 2; i++) {
      await waitFor(async () => (await podNames("adopt")).length === i + 1, 5000, `adopt-${i}`);
      await setPodPhase(env.api, await getPod(`adopt-${i}`), "Running", true);
    }
    // What `kubectl delete sts --cascade=orphan` leaves behind once the garbage collector (not running
    // here) has orphaned them: the set gone, its pods without a controller.
    await env.api.client.delete(STATEFULSETS, "adopt", { namespace: NS, propagationPolicy: "Background" });
    await waitFor(async () => !(await getSet("adopt").catch(() => undefined)), 5000, "set gone");
    for (const n of ["adopt-0", "adopt-1"]) await env.api.client.patch(PODS, n, "merge", { metadata: { ownerReferences: null } }, { namespace: NS });
    for (const r of (await env.api.client.list<KubeObject>(CONTROLLER_REVISIONS, { namespace: NS, labelSelector: "app=adopt" })).items) await env.api.client.patch(CONTROLLER_REVISIONS, r.metadata!.name!, "merge", { metadata: { ownerReferences: null } }, { namespace: NS });
    const again = await env.api.client.create<KubeObject>(STATEFULSETS, sts("adopt", 2, { volumeClaimTemplates: [] }), { namespace: NS });
    await waitFor(async () => (await getPod("adopt-1")).metadata!.ownerReferences?.[0]?.uid === again.metadata!.uid, 5000, "adopted");
    await waitFor(async () => (await getSet("adopt")).status?.readyReplicas === 2, 5000, "ready 2 with adopted pods");
    expect(await podNames("adopt")).toEqual(["adopt-0", "adopt-1"]);
    // The orphaned revision was adopted too, so the pods are current (not rolled).
    const revs = (await env.api.client.list<KubeObject>(CONTROLLER_REVISIONS, { namespace: NS, labelSelector: "app=adopt" })).items;
    expect(revs).toHaveLength(1);
    expect(revs[0]!.metadata!.ownerReferences?.[0]?.uid).toBe(again.metadata!.uid);
  }, 20_000);
});
