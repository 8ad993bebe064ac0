// Applies rendered rules inside a network namespace this test creates and checks real traffic.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createNetFixture, type NetFixture } from "./netns.fixture.ts";
import { renderRules } from "./render.ts";
import { applyRules, cleanupRules, detectBackend, type Backend } from "./iptables.ts";
import { svc, slice } from "./testdata.ts";
import type { ProxyConfig, RuleSet } from "./types.ts";

let fx: NetFixture;
let backend: Backend;
let last: RuleSet | undefined;
const cfg: ProxyConfig = { nodeName: "node1", nodeIPs: ["192.168.77.1"], clusterCIDR: "10.42.0.0/16", localhostNodePorts: true };

async function sync(services: any[], slices: any[], full = false) {
  const next = renderRules(cfg, { services, slices });
  const r = await applyRules(fx.runNode, backend, next, full ? undefined : last);
  last = next;
  return r.text;
}

async function spread(ns: string, url: string, n: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = await fx.get(ns, url);
    const k = r.body ?? `error: ${r.error}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return seen;
}

const web = (extra: Record<string, any> = {}, status?: any) =>
  svc("default", "web", { clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }], ...extra }, status);
const eps = (ips: string[]) => slice("default", "web", [{ name: "http", port: 8080 }], ips.map((ip) => ({ ip })));

beforeAll(async () => {
  fx = await createNetFixture("px");
  backend = await detectBackend(fx.runNode);
  await fx.addPod(2);
  await fx.addPod(3);
  await fx.addPod(4, 0); // a client pod
});
afterAll(async () => {
  await fx?.close();
});

describe("rules applied in a throwaway network namespace", () => {
  test("cluster IP spreads over both pods, from a pod and from the node", async () => {
    await sync([web()], [eps(["10.42.0.2", "10.42.0.3"])], true);
    const fromPod = await spread(fx.pods[2]!.ns, "http://10.43.0.20/", 20);
    expect([...fromPod.keys()].sort()).toEqual(["pod2", "pod3"]);
    const fromNode = await spread(fx.node, "http://10.43.0.20/", 12);
    expect([...fromNode.keys()].every((k) => k === "pod2" || k === "pod3")).toBe(true);
  }, 60_000);

  test("no endpoints → REJECT fails fast; endpoints back → works again (incremental)", async () => {
    const text = await sync([web()], []);
    expect(text).toContain("has no endpoints");
    const r = await fx.get(fx.pods[2]!.ns, "http://10.43.0.20/", 5);
    expect(r.body).toBeUndefined();
    expect(r.ms).toBeLessThan(2500);
    await sync([web()], [eps(["10.42.0.2"])]);
    expect((await fx.get(fx.pods[2]!.ns, "http://10.43.0.20/")).body).toBe("pod2");
  }, 30_000);

  test("NodePort from outside and on localhost; LoadBalancer on the node IP", async () => {
    await sync([web({ type: "LoadBalancer" }, { loadBalancer: { ingress: [{ ip: "192.168.77.1" }] } })], [eps(["10.42.0.3"])]);
    expect((await fx.get(fx.outside, "http://192.168.77.1:30080/")).body).toBe("pod3");
    expect((await fx.get(fx.node, "http://127.0.0.1:30080/")).body).toBe("pod3");
    expect((await fx.get(fx.outside, "http://192.168.77.1:80/")).body).toBe("pod3");
  }, 30_000);

  test("hairpin: a pod reaches itself through its service", async () => {
    await sync([web()], [eps(["10.42.0.3"])]);
    expect((await fx.get(fx.pods[1]!.ns, "http://10.43.0.20/")).body).toBe("pod3");
  }, 30_000);

  test("ClientIP affinity pins a client to one pod", async () => {
    await sync([web({ sessionAffinity: "ClientIP" })], [eps(["10.42.0.2", "10.42.0.3"])]);
    const seen = await spread(fx.pods[2]!.ns, "http://10.43.0.20/", 10);
    expect(seen.size).toBe(1);
    expect(["pod2", "pod3"]).toContain([...seen.keys()][0]!);
  }, 30_000);

  test("a full sync after removing the service deletes its chains; cleanup removes everything", async () => {
    await sync([], [], true);
    const nat = await fx.runNode([backend.save, "-t", "nat"]);
    expect(nat).not.toMatch(/KUBE-SVC-|KUBE-SEP-/);
    expect(nat).toContain("-j KUBE-SERVICES");
    // jump rules are never duplicated by repeated syncs
    expect(nat.match(/-A PREROUTING .*-j KUBE-SERVICES/g)?.length).toBe(1);
    await cleanupRules(fx.runNode, backend);
    const after = (await fx.runNode([backend.save, "-t", "nat"])) + (await fx.runNode([backend.save, "-t", "filter"]));
    expect(after).not.toContain("KUBE-");
  }, 30_000);
});

test("without a default route, a fallback service route keeps REJECT fast and DNAT working", async () => {
  const { ensureServiceRoute } = await import("./route.ts");
  await fx.runNode(["ip", "route", "del", "default"]);
  try {
    expect(await ensureServiceRoute(fx.runNode, "10.43.0.0/16")).toBe(true);
    expect(await ensureServiceRoute(fx.runNode, "10.43.0.0/16")).toBe(false);
    const other = svc("default", "none", { clusterIP: "10.43.0.21", ports: [{ name: "http", port: 80 }] });
    await sync([web(), other], [eps(["10.42.0.2"])], true);
    const r = await fx.get(fx.pods[2]!.ns, "http://10.43.0.21/", 5);
    expect(r.error).toContain("Connection refused");
    expect((await fx.get(fx.pods[2]!.ns, "http://10.43.0.20/")).body).toBe("pod2");
    expect((await fx.get(fx.node, "http://10.43.0.20/")).body).toBe("pod2");
  } finally {
    await fx.runNode(["ip", "route", "del", "10.43.0.0/16"]).catch(() => {});
    await fx.runNode(["ip", "route", "add", "default", "via", "192.168.77.2"]).catch(() => {});
  }
}, 30_000);
