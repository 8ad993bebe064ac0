// Core controllers seen through the real kubectl 1.33 on a node without its agent: the test
// plays the kubelet by marking pods Running/Ready through pods/status.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startNode, type TestNode } from "../harness/node.ts";
import { createHttpClient } from "../../pkg/client/http.ts";
import type { Client } from "../../pkg/client/types.ts";

setDefaultTimeout(90_000);

const PODS = { group: "", version: "v1", resource: "pods" };
let node: TestNode;
let client: Client;

beforeAll(async () => {
  node = await startNode({ args: ["--disable", "agent"] });
  client = createHttpClient({ kubeconfig: node.hostKubeconfig });
}, 60_000);
afterAll(async () => {
  await node?.stop();
}, 60_000);

const kubectl = (args: string[], timeoutMs = 60_000) => node.kubectl("1.33", args, { timeoutMs });
const ok = async (args: string[]) => {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
};
async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await Bun.sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Marks every not-ready live pod in the namespace Running+Ready until stopped (a bounded kubelet stand-in). */
function kubeletStandIn(namespace: string): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    const end = Date.now() + 120_000;
    while (running && Date.now() < end) {
      const pods = await client.list(PODS, { namespace }).catch(() => ({ items: [] as any[] }));
      for (const p of pods.items) {
        if (p.metadata?.deletionTimestamp) continue;
        if ((p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True")) continue;
        const ts = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
        p.status = { ...(p.status ?? {}), phase: "Running", podIP: "10.42.0.50", conditions: [{ type: "Ready", status: "True", lastTransitionTime: ts }] };
        await client.updateStatus(PODS, p, { namespace }).catch(() => {});
      }
      await Bun.sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

const jsonpath = (args: string[], path: string) => ok([...args, "-o", `jsonpath=${path}`]);
const podCount = async (sel: string, ns = "default") => (await jsonpath(["get", "pods", "-n", ns, "-l", sel], "{.items[*].metadata.name}")).split(/\s+/).filter(Boolean).length;

describe("core controllers through kubectl 1.33", () => {
  test("create deployment → pods; rollout status; scale; set image; history; undo; restart", async () => {
    await ok(["create", "deployment", "web", "--image=busybox", "--replicas=3"]);
    await until("3 pods", async () => (await podCount("app=web")) === 3);
    const pods = (await jsonpath(["get", "pods", "-l", "app=web"], "{.items[*].metadata.name}")).split(" ");
    for (const p of pods) expect(p).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(await ok(["get", "serviceaccount", "default"])).toContain("default");

    const kubelet = kubeletStandIn("default");
    try {
      expect(await ok(["rollout", "status", "deployment/web", "--timeout=60s"])).toContain('deployment "web" successfully rolled out');
      expect(await ok(["get", "deployment", "web"])).toMatch(/web\s+3\/3\s+3\s+3/);

      await ok(["scale", "deployment", "web", "--replicas=5"]);
      await until("5 ready", async () => (await jsonpath(["get", "deployment", "web"], "{.status.readyReplicas}")) === "5");

      await ok(["set", "image", "deployment/web", "busybox=busybox:1.36"]);
      expect(await ok(["rollout", "status", "deployment/web", "--timeout=60s"])).toContain("successfully rolled out");
      expect(await jsonpath(["get", "deployment", "web"], "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).toBe("2");
      const history = await ok(["rollout", "history", "deployment/web"]);
      expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
      expect(history).toMatch(/^1\s+<none>$/m);
      expect(history).toMatch(/^2\s+<none>$/m);
      expect(await ok(["rollout", "history", "deployment/web", "--revision=2"])).toContain("busybox:1.36");

      expect(await ok(["rollout", "undo", "deployment/web"])).toContain("rolled back");
      expect(await ok(["rollout", "status", "deployment/web", "--timeout=60s"])).toContain("successfully rolled out");
      expect(await jsonpath(["get", "deployment", "web"], "{.spec.template.spec.containers[0].image}")).toBe("busybox");
      expect(await jsonpath(["get", "deployment", "web"], "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).toBe("3");

      expect(await ok(["rollout", "restart", "deployment/web"])).toContain("restarted");
      expect(await ok(["rollout", "status", "deployment/web", "--timeout=60s"])).toContain("successfully rolled out");
      expect(await jsonpath(["get", "deployment", "web"], "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).toBe("4");
      expect(await podCount("app=web")).toBe(5);
      const desc = await ok(["describe", "deployment", "web"]);
      expect(desc).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
      expect(desc).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set web-[a-z0-9]+ from 0 to 3/);
    } finally {
      await kubelet.stop();
    }
  }, 120_000);

  test("delete --cascade=foreground --wait removes dependents first and returns", async () => {
    const start = Date.now();
    const r = await kubectl(["delete", "deployment", "web", "--cascade=foreground", "--wait", "--timeout=60s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps "web" deleted');
    expect(Date.now() - start).toBeLessThan(30_000);
    expect(await podCount("app=web")).toBe(0);
    expect(await jsonpath(["get", "rs", "-l", "app=web"], "{.items[*].metadata.name}")).toBe("");
  });

  test("delete --cascade=background and --cascade=orphan", async () => {
    await ok(["create", "deployment", "bg", "--image=busybox", "--replicas=2"]);
    await ok(["create", "deployment", "orph", "--image=busybox", "--replicas=2"]);
    await until("pods", async () => (await podCount("app=bg")) === 2 && (await podCount("app=orph")) === 2);
    expect((await kubectl(["delete", "deployment", "bg", "--cascade=background", "--wait", "--timeout=60s"])).code).toBe(0);
    await until("bg dependents gone", async () => (await podCount("app=bg")) === 0 && (await jsonpath(["get", "rs", "-l", "app=bg"], "{.items[*].metadata.name}")) === "");

    const r = await kubectl(["delete", "deployment", "orph", "--cascade=orphan", "--wait", "--timeout=60s"]);
    expect(r.code).toBe(0);
    const rs = await jsonpath(["get", "rs", "-l", "app=orph"], "{.items[*].metadata.name}");
    expect(rs).toMatch(/^orph-[a-z0-9]+$/);
    expect(await jsonpath(["get", "rs", rs], "{.metadata.ownerReferences}")).toBe("");
    expect(await podCount("app=orph")).toBe(2);
  });

  test("a new namespace gets default SA and kube-root-ca.crt; delete namespace removes contents then itself", async () => {
    await ok(["create", "namespace", "team"]);
    await until("sa + ca", async () => (await kubectl(["get", "sa/default", "configmap/kube-root-ca.crt", "-n", "team"])).code === 0);
    expect(await jsonpath(["get", "configmap", "kube-root-ca.crt", "-n", "team"], "{.data.ca\\.crt}")).toContain("BEGIN CERTIFICATE");
    await ok(["create", "deployment", "x", "--image=busybox", "-n", "team"]);
    await ok(["create", "configmap", "c", "--from-literal=a=b", "-n", "team"]);
    await until("pod in team", async () => (await podCount("app=x", "team")) === 1);
    const r = await kubectl(["delete", "namespace", "team", "--timeout=60s"]);
    expect(r.code).toBe(0);
    const gone = await kubectl(["get", "namespace", "team"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('namespaces "team" not found');
  });
});
