import { afterEach, beforeEach, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

/** A quota whose status the quota controller has already filled in (upstream refuses creates until then). */
async function quota(hard: Record<string, string>) {
  const q = await h.call("POST", "/api/v1/namespaces/default/resourcequotas", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard } });
  expect(q.status).toBe(201);
  const used = Object.fromEntries(Object.keys(hard).map((k) => [k, "0"]));
  const st = await h.call("PUT", "/api/v1/namespaces/default/resourcequotas/q/status", { ...q.body, status: { hard, used } });
  expect(st.status).toBe(200);
}

const pod = (name: string, resources: Record<string, unknown> = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name },
  spec: { containers: [{ name: "c", image: "busybox", resources }] },
});

test("a quota without a status yet refuses creates it constrains, as upstream", async () => {
  await h.call("POST", "/api/v1/namespaces/default/resourcequotas", { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { pods: "2" } } });
  const r = await h.call("POST", "/api/v1/namespaces/default/pods", pod("a"));
  expect(r.status).toBe(403);
  expect(r.body.message).toBe('pods "a" is forbidden: status unknown for quota: q, resources: pods');
});

test("a quota refuses the create that would exceed it, with upstream's message, and charges status.used", async () => {
  await quota({ pods: "2" });
  expect((await h.call("POST", "/api/v1/namespaces/default/pods", pod("a"))).status).toBe(201);
  expect((await h.call("POST", "/api/v1/namespaces/default/pods", pod("b"))).status).toBe(201);
  const before = await h.snapshot();
  const r = await h.call("POST", "/api/v1/namespaces/default/pods", pod("c"));
  expect(r.status).toBe(403);
  expect(r.body.reason).toBe("Forbidden");
  expect(r.body.message).toBe('pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
  expect(await h.snapshot()).toBe(before);
  expect((await h.call("GET", "/api/v1/namespaces/default/resourcequotas/q")).body.status.used.pods).toBe("2");
  // Dry runs are checked but charge nothing.
  expect((await h.call("POST", "/api/v1/namespaces/default/pods?dryRun=All", pod("d"))).status).toBe(403);
});

test("concurrent creates cannot overshoot a quota", async () => {
  await quota({ configmaps: "3" });
  const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm${i}` } })));
  expect(rs.filter((r) => r.status === 201).length).toBe(3);
  expect(rs.filter((r) => r.status === 403).length).toBe(5);
});

test("a LimitRange defaults container resources and refuses values over its max", async () => {
  await h.call("POST", "/api/v1/namespaces/default/limitranges", {
    apiVersion: "v1", kind: "LimitRange", metadata: { name: "lr" },
    spec: { limits: [{ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "100m" }, max: { cpu: "1" } }] },
  });
  const ok = await h.call("POST", "/api/v1/namespaces/default/pods", pod("p"));
  expect(ok.status).toBe(201);
  expect(ok.body.spec.containers[0].resources).toEqual({ limits: { cpu: "500m" }, requests: { cpu: "100m" } });
  const big = await h.call("POST", "/api/v1/namespaces/default/pods", pod("big", { limits: { cpu: "2" } }));
  expect(big.status).toBe(403);
  expect(big.body.message).toContain('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
});

test("priority admission fills spec.priority from the class, the global default, or refuses an unknown class", async () => {
  const sys = await h.call("POST", "/api/v1/namespaces/default/pods", { ...pod("sys"), spec: { ...pod("sys").spec, priorityClassName: "system-cluster-critical" } });
  expect(sys.status).toBe(201);
  expect(sys.body.spec.priority).toBe(2000000000);
  const unknown = await h.call("POST", "/api/v1/namespaces/default/pods", { ...pod("u"), spec: { ...pod("u").spec, priorityClassName: "nope" } });
  expect(unknown.status).toBe(403);
  expect(unknown.body.message).toBe('pods "u" is forbidden: no PriorityClass with name nope was found');
  expect((await h.call("POST", "/apis/scheduling.k8s.io/v1/priorityclasses", { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "dflt" }, value: 1000, globalDefault: true })).status).toBe(201);
  const d = await h.call("POST", "/api/v1/namespaces/default/pods", pod("d"));
  expect(d.body.spec.priorityClassName).toBe("dflt");
  expect(d.body.spec.priority).toBe(1000);
});
