import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";
import { createAPIApp } from "./app.ts";
import { createRegistry } from "../api/registry.ts";
import { createLogger } from "../util/log.ts";
import { ADMIN } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

const svc = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
});

describe("service allocation", () => {
  test("bootstrap made default/kubernetes on the first IP with endpoints and a slice", async () => {
    const k = await h.call("GET", "/api/v1/namespaces/default/services/kubernetes");
    expect(k.body.spec.clusterIP).toBe("10.43.0.1");
    expect(k.body.spec.ports[0]).toMatchObject({ name: "https", port: 443, targetPort: 6443 });
    const ep = await h.call("GET", "/api/v1/namespaces/default/endpoints/kubernetes");
    expect(ep.body.subsets[0].addresses[0].ip).toBe("192.168.1.10");
    const sl = await h.call("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    expect(sl.body.endpoints[0].addresses).toEqual(["192.168.1.10"]);
    const nss = await h.call("GET", "/api/v1/namespaces");
    expect(nss.body.items.map((n: any) => n.metadata.name)).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    // Idempotent.
    const rev = h.backend.currentRevision();
    await h.app.bootstrap();
    expect(h.backend.currentRevision()).toBe(rev);
  });

  test("ClusterIP allocation, explicit IPs, conflicts and release", async () => {
    const a = await h.call("POST", "/api/v1/namespaces/default/services", svc("a"));
    expect(a.status).toBe(201);
    expect(a.body.spec.clusterIP).toMatch(/^10\.43\.\d+\.\d+$/);
    expect(a.body.spec.clusterIPs).toEqual([a.body.spec.clusterIP]);
    const b = await h.call("POST", "/api/v1/namespaces/default/services", svc("b", { clusterIP: "10.43.0.10" }));
    expect(b.body.spec.clusterIP).toBe("10.43.0.10");
    const snap = await h.snapshot();
    const c = await h.call("POST", "/api/v1/namespaces/default/services", svc("c", { clusterIP: "10.43.0.10" }));
    expect(c.status).toBe(422);
    expect(c.body.details.causes[0]).toMatchObject({ field: "spec.clusterIPs", message: 'Invalid value: []string{"10.43.0.10"}: failed to allocate IP 10.43.0.10: provided IP is already allocated' });
    const out = await h.call("POST", "/api/v1/namespaces/default/services", svc("d", { clusterIP: "10.99.0.1" }));
    expect(out.status).toBe(422);
    expect(await h.snapshot()).toBe(snap);
    const headless = await h.call("POST", "/api/v1/namespaces/default/services", svc("h", { clusterIP: "None" }));
    expect(headless.body.spec.clusterIPs).toEqual(["None"]);
    await h.call("DELETE", "/api/v1/namespaces/default/services/b");
    const again = await h.call("POST", "/api/v1/namespaces/default/services", svc("c", { clusterIP: "10.43.0.10" }));
    expect(again.status).toBe(201);
    const dry = await h.call("POST", "/api/v1/namespaces/default/services?dryRun=All", svc("dry"));
    expect(dry.status).toBe(201);
    // kubernetes, a and c hold IPs; the headless service and the dry run hold none.
    expect((await h.backend.list("/registry/ranges/serviceips/")).kvs.map((kv) => kv.key.split("/").pop()).sort()).toEqual(["10.43.0.1", "10.43.0.10", a.body.spec.clusterIP].sort());
  });

  test("NodePort allocation from the range, explicit ports and conflicts", async () => {
    const n = await h.call("POST", "/api/v1/namespaces/default/services", svc("np", { type: "NodePort", ports: [{ port: 80, name: "a" }, { port: 443, nodePort: 30080, name: "b" }] }));
    expect(n.status).toBe(201);
    const [p0, p1] = n.body.spec.ports;
    expect(p0.nodePort).toBeGreaterThanOrEqual(30000);
    expect(p0.nodePort).toBeLessThanOrEqual(32767);
    expect(p1.nodePort).toBe(30080);
    const clash = await h.call("POST", "/api/v1/namespaces/default/services", svc("np2", { type: "NodePort", ports: [{ port: 1, nodePort: 30080 }] }));
    expect(clash.status).toBe(422);
    expect(clash.body.details.causes[0].message).toBe("Invalid value: 30080: provided port is already allocated");
    // Switching to ClusterIP frees the ports.
    const cur = (await h.call("GET", "/api/v1/namespaces/default/services/np")).body;
    const u = await h.call("PUT", "/api/v1/namespaces/default/services/np", { ...cur, spec: { ...cur.spec, type: "ClusterIP", ports: cur.spec.ports.map((p: any) => ({ ...p, nodePort: undefined })) } });
    expect(u.status).toBe(200);
    expect(u.body.spec.clusterIP).toBe(cur.spec.clusterIP);
    const reuse = await h.call("POST", "/api/v1/namespaces/default/services", svc("np3", { type: "NodePort", ports: [{ port: 1, nodePort: 30080 }] }));
    expect(reuse.status).toBe(201);
  });

  test("an update that omits the ClusterIP and node ports keeps them", async () => {
    const a = await h.call("POST", "/api/v1/namespaces/default/services", svc("keep", { type: "NodePort", ports: [{ port: 80 }] }));
    const u = await h.call("PUT", "/api/v1/namespaces/default/services/keep", svc("keep", { type: "NodePort", ports: [{ port: 80 }] }));
    expect(u.status).toBe(200);
    expect(u.body.spec.clusterIP).toBe(a.body.spec.clusterIP);
    expect(u.body.spec.ports[0].nodePort).toBe(a.body.spec.ports[0].nodePort);
    const moved = await h.call("PUT", "/api/v1/namespaces/default/services/keep", svc("keep", { clusterIP: "10.43.7.7", type: "NodePort", ports: [{ port: 80 }] }));
    expect(moved.status).toBe(422);
  });

  test("bootstrap repairs leaked and missing allocation keys", async () => {
    const a = await h.call("POST", "/api/v1/namespaces/default/services", svc("a", { type: "NodePort", ports: [{ port: 80, nodePort: 31001 }] }));
    // A crash between allocating and storing leaves a key without a service...
    await h.backend.create("/registry/ranges/serviceips/10.43.9.9", JSON.stringify({ owner: "default/ghost" }));
    await h.backend.create("/registry/ranges/servicenodeports/31999", JSON.stringify({ owner: "default/ghost" }));
    // ...and a restored service may hold an IP nobody recorded.
    await h.backend.delete(`/registry/ranges/serviceips/${a.body.spec.clusterIP}`);
    await h.app.bootstrap();
    const ips = (await h.backend.list("/registry/ranges/serviceips/")).kvs.map((kv) => kv.key.split("/").pop()).sort();
    expect(ips).toEqual(["10.43.0.1", a.body.spec.clusterIP].sort());
    const ports = (await h.backend.list("/registry/ranges/servicenodeports/")).kvs.map((kv) => kv.key.split("/").pop());
    expect(ports).toEqual(["31001"]);
  });

  test("allocations persist across an app restart on the same store", async () => {
    const a = await h.call("POST", "/api/v1/namespaces/default/services", svc("a", { clusterIP: "10.43.1.1", type: "NodePort", ports: [{ port: 80, nodePort: 31000 }] }));
    expect(a.status).toBe(201);
    const app2 = createAPIApp({
      backend: h.backend,
      registry: createRegistry(),
      serviceCIDR: "10.43.0.0/16",
      nodePortRange: [30000, 32767],
      clusterDomain: "cluster.local",
      apiServerEndpoints: () => [{ ip: "192.168.1.10", port: 6443 }],
      logger: createLogger("t"),
    });
    const res = await app2.fetch(
      new Request("https://x/api/v1/namespaces/default/services", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(svc("b", { clusterIP: "10.43.1.1" })) }),
      { user: ADMIN },
    );
    expect(res.status).toBe(422);
    await app2.close();
  });
});
