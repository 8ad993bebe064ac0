// `kubun killall` end to end: a node with two running pods (one with a hostPort) and a Service,
// the server stopped, then killall run inside the node's own namespaces and test cgroup.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, startNode, waitFor, type TestNode } from "../harness/node.ts";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";

setDefaultTimeout(120_000);
let node: TestNode;
const k = (args: string[], stdin?: string) => node.kubectl("1.33", args, { stdin, timeoutMs: 60_000 });

/** Alive and the same process (start time), zombies counting as gone. */
function sameProcess(pid: number, start: string): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return rest[0] !== "Z" && rest[0] !== "X" && rest[19] === start;
  } catch {
    return false;
  }
}

function podCgroupPids(): Array<{ pid: number; start: string }> {
  const pids = new Set<number>();
  const walk = (d: string) => {
    try { for (const l of readFileSync(join(d, "cgroup.procs"), "utf8").split("\n")) if (l) pids.add(Number(l)); } catch {}
    try { for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name)); } catch {}
  };
  for (const d of node.cgroup.dirs) walk(join(d, node.cgroup.podRootName));
  return [...pids].map((pid) => {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, "utf8");
      return { pid, start: s.slice(s.lastIndexOf(")") + 2).split(" ")[19] };
    } catch {
      return { pid, start: "" };
    }
  }).filter((p) => p.start);
}

/** killall inside the node's namespaces, joined to the test's server cgroups so `../kubun` names the pod root. */
const killall = (extra: string[] = []) => {
  const join_ = node.cgroup.serverProcs.map((p) => `echo $$ > '${p}'`).join(" && ");
  return node.exec(["sh", "-c", `${join_} && exec "$@"`, "killall", process.execPath, join(REPO, "cmd", "kubun.ts"), "killall",
    "--data-dir", node.dataDir, "--cgroup-root", `../${node.cgroup.podRootName}`, "--node-name", `node-${node.id}`, ...extra], { timeoutMs: 60_000 });
};

const iptablesSave = async () => (await node.exec(["sh", "-c", "iptables-nft-save 2>/dev/null; iptables-legacy-save 2>/dev/null"])).stdout;
const kubunMounts = async () =>
  (await node.exec(["cat", "/proc/self/mountinfo"])).stdout.split("\n").map((l) => l.split(" ")[4] ?? "")
    .filter((mp) => mp === "/run/kubun" || mp.startsWith("/run/kubun/") || mp.startsWith(join(node.dataDir, "agent")));

beforeAll(async () => {
  node = await startNode({
    async prepare(dataDir) {
      const dir = join(dataDir, "agent", "images");
      mkdirSync(dir, { recursive: true });
      await buildBusyboxImage({ dir, format: "oci", name: "docker.io/library/busybox:test" });
    },
  });
});
afterAll(async () => {
  await node?.stop();
});

test("killall stops every pod and removes mounts, netns, cni0, routes and kubun's iptables chains; a second run is a no-op; the node then starts cleanly", async () => {
  const pod = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  nodeName: node-${node.id}
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox:test
    command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
${extra}`;
  const manifests = [
    pod("web", "    ports: [{containerPort: 8080, hostPort: 30081}]"),
    pod("tmp", "    volumeMounts: [{name: m, mountPath: /m}]\n  volumes: [{name: m, emptyDir: {medium: Memory}}]"),
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]",
  ].join("\n---\n");
  const applied = await k(["apply", "-f", "-"], manifests);
  expect(applied.stderr).toBe("");
  const ready = await k(["wait", "--for=condition=Ready", "pod/web", "pod/tmp", "--timeout=60s"]);
  expect(ready.code).toBe(0);
  await waitFor("service and hostPort rules", async () => {
    const t = await iptablesSave();
    return /-A KUBUN-HOSTPORTS .*--dport 30081 .*-j DNAT/.test(t) && /^:KUBE-SVC-/m.test(t);
  }, 30_000);

  // the node's netns has no default route: the proxy added one over lo for the service CIDR
  expect((await node.exec(["ip", "-4", "route", "show", "10.43.0.0/16"])).stdout).toContain("dev lo");
  const pids = podCgroupPids();
  expect(pids.length).toBeGreaterThanOrEqual(2);
  expect((await kubunMounts()).length).toBeGreaterThan(0);

  // refused while the server holds the data dir, and nothing is touched
  const refused = await killall();
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("still running");
  expect(pids.every((p) => sameProcess(p.pid, p.start))).toBe(true);

  const server = node.pid();
  process.kill(server, "SIGTERM");
  await waitFor("the server to exit", () => !existsSync(`/proc/${server}`) || /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${server}/stat`, "utf8")), 20_000);
  // pods outlive the server
  expect(pids.every((p) => sameProcess(p.pid, p.start))).toBe(true);

  const r = await killall();
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^killed (container|process) /m);
  expect(r.stdout).toMatch(/^unmounted \/run\/kubun\/netns\//m);
  expect(r.stdout).toContain("deleted bridge cni0");
  expect(r.stdout).toMatch(/^removed iptables chain \S+ nat\/KUBUN-HOSTPORTS$/m);
  expect(r.stdout).toMatch(/^removed iptables chain \S+ nat\/KUBE-SERVICES$/m);

  await waitFor("container processes gone", () => pids.every((p) => !sameProcess(p.pid, p.start)), 10_000);
  expect(await kubunMounts()).toEqual([]);
  expect((await node.exec(["ip", "link", "show", "cni0"])).code).not.toBe(0);
  expect((await node.exec(["ip", "-o", "link", "show", "type", "veth"])).stdout).toBe("");
  expect(await iptablesSave()).not.toMatch(/^:(KUBE|KUBUN)-/m);
  expect(existsSync(`/run/kubun/netns/node-${node.id}`)).toBe(false);
  expect(r.stdout).toContain("deleted route 10.43.0.0/16 dev lo");
  expect((await node.exec(["ip", "-4", "route", "show", "10.43.0.0/16"])).stdout).toBe("");
  for (const d of node.cgroup.dirs) expect(existsSync(join(d, node.cgroup.podRootName))).toBe(false);
  expect(existsSync(join(node.dataDir, "agent", "ipam.json"))).toBe(false);

  const again = await killall();
  expect({ code: again.code, stdout: again.stdout, stderr: again.stderr }).toEqual({ code: 0, stdout: "", stderr: "" });

  // the node comes back: the pods run again, reachable through the Service
  await node.restart();
  await waitFor("pods running again", async () => (await k(["wait", "--for=condition=Ready", "pod/web", "pod/tmp", "--timeout=5s"])).code === 0, 60_000);
  const svc = JSON.parse((await k(["get", "svc", "web", "-o", "json"])).stdout).spec.clusterIP;
  let body = "";
  await waitFor("the Service answering", async () => {
    const w = await node.exec(["timeout", "5", "busybox", "wget", "-q", "-O", "-", `http://${svc}/index.html`]);
    body = w.stdout;
    return w.code === 0;
  }, 30_000, () => `${body}\n${node.logs().split("\n").slice(-20).join("\n")}`);
  expect(body).toBe("hello from busybox\n");
  // no addresses held for sandboxes killall removed: two pods and at most the two pre-warmed ones
  expect(Object.keys(JSON.parse(readFileSync(join(node.dataDir, "agent", "ipam.json"), "utf8"))).length).toBeLessThanOrEqual(4);
});
