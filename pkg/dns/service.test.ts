import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAPI, type TestAPI } from "../client/test-env.ts";
import { ensureKubeDns, MANAGED_BY } from "./service.ts";

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
});
afterAll(async () => {
  await t?.close();
});

test("ensureKubeDns creates the selector-less kube-dns Service on the cluster DNS IP, its slice and endpoints", async () => {
  const target = { clusterDNS: "10.43.0.10", nodeName: "node1", ip: "192.168.5.5", port: 10053 };
  await ensureKubeDns(t.client, target);
  const svc: any = await t.client.get({ group: "", version: "v1", resource: "services" }, "kube-dns", { namespace: "kube-system" });
  expect(svc.spec.clusterIP).toBe("10.43.0.10");
  expect(svc.spec.selector).toBeUndefined();
  expect(svc.metadata.labels).toMatchObject({ "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" });
  expect(svc.spec.ports.map((p: any) => `${p.name}/${p.port}/${p.protocol}`)).toEqual(["dns/53/UDP", "dns-tcp/53/TCP"]);
  const slice: any = await t.client.get({ group: "discovery.k8s.io", version: "v1", resource: "endpointslices" }, "kube-dns-kubun", { namespace: "kube-system" });
  expect(slice.metadata.labels["endpointslice.kubernetes.io/managed-by"]).toBe(MANAGED_BY);
  expect(slice.endpoints[0].addresses).toEqual(["192.168.5.5"]);
  expect(slice.ports.map((p: any) => p.port)).toEqual([10053, 10053]);
  const ep: any = await t.client.get({ group: "", version: "v1", resource: "endpoints" }, "kube-dns", { namespace: "kube-system" });
  expect(ep.subsets[0].addresses[0].ip).toBe("192.168.5.5");
  // idempotent, and a changed listener is repaired in place
  await ensureKubeDns(t.client, target);
  await ensureKubeDns(t.client, { ...target, port: 10054 });
  const slice2: any = await t.client.get({ group: "discovery.k8s.io", version: "v1", resource: "endpointslices" }, "kube-dns-kubun", { namespace: "kube-system" });
  expect(slice2.ports.map((p: any) => p.port)).toEqual([10054, 10054]);
  const svc2: any = await t.client.get({ group: "", version: "v1", resource: "services" }, "kube-dns", { namespace: "kube-system" });
  expect(svc2.metadata.uid).toBe(svc.metadata.uid);
});
