import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, setPodPhase, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { PODS } from "../history/podutil.ts";
import { PDBS, startDisruptionController } from "./controller.ts";
import { evictionAllowed } from "./eviction.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";
const STS = { group: "apps", version: "v1", resource: "statefulsets" };

beforeAll(async () => {
  env = await startControllerEnv();
  const running = startDisruptionController(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const getPDB = (n: string) => env.api.client.get<KubeObject>(PDBS, n, { namespace: NS });
const cond = (p: KubeObject) => p.status?.conditions?.find((c: any) => c.type === "DisruptionAllowed");

describe("disruption controller", () => {
  test("minAvailable status, DisruptionAllowed condition and the eviction decision", async () => {
    const pods: KubeObject[] = [];
    for (const n of ["p0", "p1", "p2"]) pods.push(await env.api.client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: n, namespace: NS, labels: { app: "db" } }, spec: { containers: [{ name: "c", image: "x" }] } }, { namespace: NS }));
    for (const p of pods) await setPodPhase(env.api, p, "Running", true);
    await env.api.client.create(PDBS, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "db", namespace: NS }, spec: { minAvailable: 2, selector: { matchLabels: { app: "db" } } } }, { namespace: NS });
    await waitFor(async () => (await getPDB("db")).status?.currentHealthy === 3, 5000, "status");
    let pdb = await getPDB("db");
    expect(pdb.status).toMatchObject({ expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1, observedGeneration: pdb.metadata!.generation });
    expect(cond(pdb)).toMatchObject({ status: "True", reason: "SufficientPods" });
    const running = await env.api.client.get<KubeObject>(PODS, "p0", { namespace: NS });
    const ok = evictionAllowed([pdb], running);
    expect(ok.allowed).toBe(true);
    expect(ok.pdb?.status.disruptionsAllowed).toBe(0);
    expect(Object.keys(ok.pdb?.status.disruptedPods)).toEqual(["p0"]);

    await setPodPhase(env.api, pods[1]!, "Running", false);
    await waitFor(async () => (await getPDB("db")).status?.disruptionsAllowed === 0, 5000, "no disruptions");
    pdb = await getPDB("db");
    expect(cond(pdb)).toMatchObject({ status: "False", reason: "InsufficientPods" });
    const no = evictionAllowed([pdb], running);
    expect(no).toMatchObject({ allowed: false, code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget.", cause: { type: "DisruptionBudget", message: "The disruption budget db needs 2 healthy pods and has 2 currently" } });
    // The unready pod itself may go: the budget is still met (IfHealthyBudget).
    expect(evictionAllowed([pdb], await env.api.client.get<KubeObject>(PODS, "p1", { namespace: NS })).allowed).toBe(true);
    expect(evictionAllowed([pdb, { ...pdb, metadata: { ...pdb.metadata, name: "other" } }], running)).toMatchObject({ allowed: false, code: 500 });
  });

  test("maxUnavailable counts the controller's scale", async () => {
    const set = await env.api.client.create<KubeObject>(STS, { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "web", namespace: NS }, spec: { replicas: 4, selector: { matchLabels: { app: "web" } }, serviceName: "web", template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x" }] } } } }, { namespace: NS });
    for (const n of ["web-0", "web-1", "web-2"]) {
      const p = await env.api.client.create<KubeObject>(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: n, namespace: NS, labels: { app: "web" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: set.metadata!.uid!, controller: true }] }, spec: { containers: [{ name: "c", image: "x" }] } }, { namespace: NS });
      await setPodPhase(env.api, p, "Running", true);
    }
    await env.api.client.create(PDBS, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web", namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } } }, { namespace: NS });
    await waitFor(async () => (await getPDB("web")).status?.expectedPods === 4, 5000, "expected from scale");
    expect((await getPDB("web")).status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
  });
});
