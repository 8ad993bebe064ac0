// Official client libraries against a sandboxed node: @kubernetes/client-node and python3-kubernetes.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
setDefaultTimeout(90_000);
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { run, startNode, waitFor, type TestNode } from "../harness/node.ts";

let node: TestNode;
beforeAll(async () => {
  // Short compaction so a watch resumed from an old resourceVersion gets 410 Gone.
  node = await startNode({ args: ["--datastore-compact-window=5", "--datastore-compact-interval=1"] });
}, 60_000);
afterAll(async () => {
  await node?.stop();
}, 60_000);

function client() {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(node.hostKubeconfig);
  return kc;
}

test("client-node: typed CRUD with Status errors", async () => {
  const core = client().makeApiClient(k8s.CoreV1Api);
  const created = await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cn-1", labels: { via: "client-node" } }, data: { a: "1" } } });
  expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
  const got = await core.readNamespacedConfigMap({ name: "cn-1", namespace: "default" });
  expect(got.data).toEqual({ a: "1" });
  got.data = { a: "2" };
  const replaced = await core.replaceNamespacedConfigMap({ name: "cn-1", namespace: "default", body: got });
  expect(Number(replaced.metadata!.resourceVersion)).toBeGreaterThan(Number(got.metadata!.resourceVersion));
  const list = await core.listNamespacedConfigMap({ namespace: "default", labelSelector: "via=client-node" });
  expect(list.items.map((i) => i.metadata?.name)).toEqual(["cn-1"]);
  let err: any;
  try {
    await core.replaceNamespacedConfigMap({ name: "cn-1", namespace: "default", body: got }); // stale resourceVersion
  } catch (e) {
    err = e;
  }
  expect(err?.code).toBe(409);
  expect(JSON.parse(err.body).reason).toBe("Conflict");
  await core.deleteNamespacedConfigMap({ name: "cn-1", namespace: "default" });
  try {
    await core.readNamespacedConfigMap({ name: "cn-1", namespace: "default" });
    throw new Error("still there");
  } catch (e: any) {
    expect(e.code).toBe(404);
  }
  const apps = client().makeApiClient(k8s.AppsV1Api);
  const d = await apps.createNamespacedDeployment({
    namespace: "default",
    body: { metadata: { name: "cn-d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } },
  });
  expect(d.spec?.replicas).toBe(1);
  expect(d.spec?.strategy?.type).toBe("RollingUpdate");
});

test("client-node: an informer sees add/update/delete and survives a 410 relist", async () => {
  const kc = client();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "inf" } } });
  const seen: string[] = [];
  const errors: unknown[] = [];
  const informer = k8s.makeInformer(kc, "/api/v1/namespaces/inf/configmaps", () => core.listNamespacedConfigMap({ namespace: "inf" }));
  informer.on("add", (o) => seen.push(`add:${o.metadata?.name}`));
  informer.on("update", (o) => seen.push(`update:${o.metadata?.name}:${o.data?.v}`));
  informer.on("delete", (o) => seen.push(`delete:${o.metadata?.name}`));
  let stopped = false;
  informer.on("error", (e) => {
    errors.push(e);
    if (!stopped) setTimeout(() => !stopped && informer.start(), 500);
  });
  await informer.start();
  try {
    await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "x" }, data: { v: "1" } } });
    await waitFor("add event", () => seen.includes("add:x"), 10_000);
    await core.patchNamespacedConfigMap({ name: "x", namespace: "inf", body: { data: { v: "2" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    await waitFor("update event", () => seen.includes("update:x:2"), 10_000);
    // Outage: the informer's watch is cut while many writes happen and history is compacted.
    node.relayDown();
    await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "y" } } }).catch(() => {});
    for (let i = 0; i < 30; i++) {
      const r = await node.kubectl("1.33", ["create", "configmap", `churn-${i}`, "-n", "inf"]);
      expect(r.code).toBe(0);
    }
    expect((await node.kubectl("1.33", ["delete", "configmap", "x", "-n", "inf"])).code).toBe(0);
    await Bun.sleep(2500); // compaction runs every second on this node
    node.relayUp();
    await waitFor("delete of x and add of churn-29 after relist", () => seen.includes("delete:x") && seen.includes("add:churn-29"), 30_000, () => seen.join(" "));
    expect(informer.list().map((o) => o.metadata?.name)).not.toContain("x");
  } finally {
    stopped = true;
    await informer.stop();
  }
}, 60_000);

test("python3-kubernetes: list, create, watch", async () => {
  const script = join(node.dir, "py_client.py");
  writeFileSync(
    script,
    `import sys, threading
from kubernetes import client, config, watch
config.load_kube_config(sys.argv[1])
v1 = client.CoreV1Api()
names = [n.metadata.name for n in v1.list_namespace().items]
assert "kube-system" in names and "default" in names, names
rv = v1.list_namespaced_config_map("default").metadata.resource_version
def create():
    v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python"), data={"k": "v"}))
threading.Timer(0.5, create).start()
w = watch.Watch()
for ev in w.stream(v1.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=20):
    if ev["object"].metadata.name == "from-python":
        print("WATCHED", ev["type"], ev["object"].data["k"])
        w.stop()
try:
    v1.read_namespaced_config_map("missing", "default")
except client.exceptions.ApiException as e:
    print("STATUS", e.status)
`,
  );
  const r = await run(["/usr/bin/python3", script, node.hostKubeconfig], { timeoutMs: 60_000 });
  expect(r.stderr).not.toContain("Traceback");
  expect(r.stdout).toContain("WATCHED ADDED v");
  expect(r.stdout).toContain("STATUS 404");
}, 60_000);
