// The long-lived proxier over real informers (test API), applying into a throwaway netns.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAPI, waitFor, type TestAPI } from "../client/test-env.ts";
import { createInformerFactory } from "../client/factory.ts";
import type { InformerFactory } from "../client/types.ts";
import { createRunner } from "./exec.ts";
import { startProxier, type Proxier } from "./proxier.ts";
import { svcChain } from "./hash.ts";
import { svc, slice } from "./testdata.ts";
import type { Logger } from "../util/log.ts";

const logger: Logger = { v: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => logger };
const SERVICES = { group: "", version: "v1", resource: "services" };
const SLICES = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const netns = `kbn-pxr-${process.pid.toString(36)}`;
const run = createRunner(["ip", "netns", "exec", netns]);

let t: TestAPI;
let inf: InformerFactory;
let proxier: Proxier | undefined;
beforeAll(async () => {
  await createRunner()(["ip", "netns", "add", netns]);
  t = await startTestAPI();
  inf = createInformerFactory(t.client);
});
afterAll(async () => {
  proxier?.stop();
  await inf?.shutdown();
  await t?.close();
  await createRunner()(["ip", "netns", "del", netns]).catch(() => {});
});

test("services and slices from the API become rules; removals become REJECT; stop keeps rules", async () => {
  proxier = await startProxier({
    cfg: { nodeName: "node1", nodeIPs: ["192.168.77.1"], clusterCIDR: "10.42.0.0/16", localhostNodePorts: true },
    run,
    services: inf.forResource(SERVICES),
    slices: inf.forResource(SLICES),
    logger,
    minSyncMs: 10,
  });
  inf.start();
  await inf.waitForCacheSync();
  const created: any = await t.client.create(SERVICES, svc("default", "web", { clusterIP: "10.43.0.50", ports: [{ name: "http", port: 80, targetPort: 8080 }] }), { namespace: "default" });
  expect(created.spec.clusterIP).toBe("10.43.0.50");
  await t.client.create(SLICES, slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.2" }]), { namespace: "default" });
  const chain = svcChain("default/web:http", "tcp");
  const b = proxier.backend;
  const save = async () => (await run([b.save, "-t", "nat"])) + (await run([b.save, "-t", "filter"]));
  await waitFor(async () => (await save()).includes(`:${chain}`), 5000, "service chain");
  expect(await save()).toContain("DNAT --to-destination 10.42.0.2:8080");

  await t.client.delete(SLICES, "web-abc", { namespace: "default" });
  await waitFor(async () => (await save()).includes("default/web:http has no endpoints"), 5000, "REJECT rule");
  expect(await save()).not.toContain(`:${chain}`);

  await proxier.syncNow(true);
  proxier.stop();
  proxier = undefined;
  expect(await save()).toContain("default/web:http has no endpoints");
}, 30_000);
