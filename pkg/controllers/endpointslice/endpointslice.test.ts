import { afterAll, beforeAll, expect, test } from "bun:test";
import type { KubeObject } from "../../api/types.ts";
import { startEndpointSliceController } from "./endpointslice.ts";
import { startEndpointsController } from "../endpoints/endpoints.ts";
import { setPodsReady, startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const SVC = { group: "", version: "v1", resource: "services" };
const PODS = { group: "", version: "v1", resource: "pods" };
const EP = { group: "", version: "v1", resource: "endpoints" };
const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const NODES = { group: "", version: "v1", resource: "nodes" };
const NS = "default";
let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([startEndpointsController, startEndpointSliceController]);
});
afterAll(async () => {
  await t?.stop();
});

const pod = (name: string, ip: string, port: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: "api" } },
  spec: { nodeName: "n1", containers: [{ name: "c", image: "busybox", ports: [{ name: "http", containerPort: port }] }], ...extra },
});
const setIP = async (name: string, ip: string) => {
  const p = await t.client.get(PODS, name, { namespace: NS });
  p.status = { ...(p.status ?? {}), phase: "Running", podIP: ip, podIPs: [{ ip }] };
  await t.client.updateStatus(PODS, p, { namespace: NS });
};
const slicesOf = async (svc: string) => (await t.client.list(SLICES, { namespace: NS, labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const ep = (name: string) => t.client.get(EP, name, { namespace: NS }).catch(() => undefined);

test("endpoints and endpointslices follow pod readiness, resolve named ports per pod, carry hostname/node/zone", async () => {
  await t.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "n1", labels: { "topology.kubernetes.io/zone": "z1" } } });
  await t.client.create(SVC, { apiVersion: "v1", kind: "Service", metadata: { name: "api", labels: { tier: "be" } }, spec: { selector: { app: "api" }, ports: [{ name: "web", port: 80, targetPort: "http" }] } }, { namespace: NS });
  await t.client.create(PODS, pod("a", "10.42.0.10", 8080, { hostname: "a", subdomain: "api" }), { namespace: NS });
  await t.client.create(PODS, pod("b", "10.42.0.11", 9090), { namespace: NS });
  // Without IPs there is nothing to publish: one empty placeholder slice.
  await waitFor(async () => (await slicesOf("api")).length === 1, 10_000, "placeholder slice");
  expect((await slicesOf("api"))[0]!.endpoints ?? []).toEqual([]);
  await setIP("a", "10.42.0.10");
  await setIP("b", "10.42.0.11");
  await setPodsReady(t.client, NS, ["a"]);
  await setPodsReady(t.client, NS, ["b"], false);
  await waitFor(async () => (await ep("api"))?.subsets?.length === 2, 10_000, "two subsets");
  const e = (await ep("api"))!;
  expect(e.metadata!.labels).toEqual({ tier: "be" });
  const sub8080 = e.subsets.find((s: any) => s.ports[0].port === 8080);
  const sub9090 = e.subsets.find((s: any) => s.ports[0].port === 9090);
  expect(sub8080.addresses).toEqual([{ ip: "10.42.0.10", hostname: "a", nodeName: "n1", targetRef: { kind: "Pod", namespace: NS, name: "a", uid: expect.any(String) } }]);
  expect(sub8080.ports).toEqual([{ name: "web", port: 8080, protocol: "TCP" }]);
  expect(sub9090.notReadyAddresses.map((a: any) => a.ip)).toEqual(["10.42.0.11"]);
  await waitFor(async () => (await slicesOf("api")).length === 2, 10_000, "two slices");
  const slices = await slicesOf("api");
  for (const s of slices) {
    expect(s.addressType).toBe("IPv4");
    expect(s.metadata!.labels).toEqual({ tier: "be", "kubernetes.io/service-name": "api", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" });
    expect(s.metadata!.ownerReferences![0]).toMatchObject({ kind: "Service", name: "api", controller: true });
  }
  const s8080 = slices.find((s) => s.ports[0].port === 8080)!;
  expect(s8080.endpoints).toEqual([{ addresses: ["10.42.0.10"], conditions: { ready: true, serving: true, terminating: false }, hostname: "a", nodeName: "n1", zone: "z1", targetRef: { kind: "Pod", namespace: NS, name: "a", uid: expect.any(String) } }]);
  expect(slices.find((s) => s.ports[0].port === 9090)!.endpoints[0].conditions).toEqual({ ready: false, serving: false, terminating: false });

  // b becomes ready; a becomes not ready.
  await setPodsReady(t.client, NS, ["b"]);
  await setPodsReady(t.client, NS, ["a"], false);
  await waitFor(async () => {
    const x = await ep("api");
    return x?.subsets?.find((s: any) => s.ports[0].port === 9090)?.addresses?.[0]?.ip === "10.42.0.11" && !!x?.subsets?.find((s: any) => s.ports[0].port === 8080)?.notReadyAddresses;
  }, 10_000, "readiness flipped");
  await waitFor(async () => (await slicesOf("api")).find((s) => s.ports?.[0]?.port === 9090)?.endpoints?.[0]?.conditions?.ready === true, 10_000, "slice ready flipped");
});

test("publishNotReadyAddresses, headless services, >100 endpoints split, deletion cleans up; default/kubernetes untouched", async () => {
  await t.client.create(SVC, { apiVersion: "v1", kind: "Service", metadata: { name: "many" }, spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: { app: "many" }, ports: [{ port: 80 }] } }, { namespace: NS });
  const made: KubeObject[] = [];
  for (let i = 0; i < 105; i++) {
    made.push(await t.client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: `m${i}`, labels: { app: "many" } }, spec: { containers: [{ name: "c", image: "busybox" }] } }, { namespace: NS }));
    await setIP(`m${i}`, `10.42.1.${i + 1}`);
  }
  await waitFor(async () => {
    const s = await slicesOf("many");
    return s.length === 2 && s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 105;
  }, 20_000, "105 endpoints in 2 slices");
  const s = await slicesOf("many");
  expect(s.map((x) => x.endpoints.length).sort()).toEqual([100, 5]);
  expect(s[0]!.metadata!.labels!["service.kubernetes.io/headless"]).toBe("");
  expect(s[0]!.endpoints[0].conditions.ready).toBe(true); // published although not ready
  const e = await ep("many");
  expect(e!.subsets[0].addresses).toHaveLength(105);
  expect(e!.subsets[0].notReadyAddresses).toBeUndefined();
  await t.client.delete(SVC, "many", { namespace: NS });
  await waitFor(async () => (await slicesOf("many")).length === 0 && !(await ep("many")), 10_000, "cleaned up");
  const k = await slicesOf("kubernetes");
  expect(k.every((x) => x.metadata!.labels!["endpointslice.kubernetes.io/managed-by"] !== "endpointslice-controller.k8s.io")).toBe(true);
}, 60_000);
