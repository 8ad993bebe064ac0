import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAPI, waitFor, type TestAPI } from "../client/test-env.ts";
import { createInformerFactory } from "../client/factory.ts";
import type { InformerFactory } from "../client/types.ts";
import { desiredIngress, startServiceLB, type ServiceLB } from "./servicelb.ts";
import { svc } from "./testdata.ts";
import type { Logger } from "../util/log.ts";

const logger: Logger = { v: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => logger };
const SERVICES = { group: "", version: "v1", resource: "services" };

test("desiredIngress: node IPs for LB services, first come first served per port, loadBalancerClass skipped", () => {
  const a = svc("default", "a", { type: "LoadBalancer", ports: [{ port: 80, protocol: "TCP" }] });
  a.metadata!.creationTimestamp = "2024-01-01T00:00:00Z";
  const b = svc("default", "b", { type: "LoadBalancer", ports: [{ port: 80, protocol: "TCP" }] });
  b.metadata!.creationTimestamp = "2024-01-02T00:00:00Z";
  const c = svc("default", "c", { type: "LoadBalancer", loadBalancerClass: "x/y", ports: [{ port: 81 }] });
  const d = svc("default", "d", { type: "LoadBalancer", ports: [{ port: 80, protocol: "UDP" }] });
  const m = desiredIngress([b, a, c, d], ["192.168.1.10", "fe80::1"]);
  expect(m.get("default/a")).toEqual(["192.168.1.10"]);
  expect(m.get("default/b")).toEqual([]);
  expect(m.has("default/c")).toBe(false);
  expect(m.get("default/d")).toEqual(["192.168.1.10"]);
});

let t: TestAPI;
let inf: InformerFactory;
let lb: ServiceLB;
beforeAll(async () => {
  t = await startTestAPI();
  inf = createInformerFactory(t.client);
  lb = startServiceLB({ client: t.client, services: inf.forResource(SERVICES), nodeIPs: ["192.168.1.10"], logger });
  inf.start();
  await inf.waitForCacheSync();
});
afterAll(async () => {
  lb?.stop();
  await inf?.shutdown();
  await t?.close();
});

test("a LoadBalancer Service gets the node IP as its ingress through the API", async () => {
  await t.client.create(SERVICES, svc("default", "lb", { type: "LoadBalancer", ports: [{ port: 8080 }] }), { namespace: "default" });
  let got: any;
  await waitFor(async () => {
    got = await t.client.get(SERVICES, "lb", { namespace: "default" });
    return (got.status?.loadBalancer?.ingress ?? []).length > 0;
  }, 5000, "ingress");
  expect(got.status.loadBalancer.ingress).toEqual([{ ip: "192.168.1.10" }]);
  expect(got.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
});
