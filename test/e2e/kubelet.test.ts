// The kubelet end to end: a real node in the sandbox harness, the busybox test image imported from
// the data dir, the real kubectl 1.27 and 1.33.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pidAlive, startNode, waitFor, type TestNode } from "../harness/node.ts";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";

setDefaultTimeout(120_000);
let node: TestNode;
const k = (args: string[], stdin?: string, version: "1.27" | "1.33" = "1.33") => node.kubectl(version, args, { stdin, timeoutMs: 60_000 });
const apply = async (yaml: string) => {
  const r = await k(["apply", "-f", "-"], yaml);
  if (r.code !== 0) throw new Error(r.stderr);
};
const getPod = async (name: string): Promise<any> => {
  const r = await k(["get", "pod", name, "-o", "json"]);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
};
const waitPod = async (name: string, what: string, fn: (p: any) => boolean, ms = 30_000) => {
  let last: any;
  try {
    await waitFor(`${name}: ${what}`, async () => fn((last = await getPod(name)) ?? {}), ms);
  } catch (e) {
    const d = await k(["describe", "pod", name]);
    throw new Error(`${(e as Error).message}\n${d.stdout}${d.stderr}\n${node.logs().split("\n").slice(-20).join("\n")}`);
  }
  return last;
};
const cs = (p: any, name: string) => (p.status?.containerStatuses ?? []).find((c: any) => c.name === name);
const podYaml = (name: string, body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  nodeName: node-${node.id}\n${body}`;

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
  const id = node?.id;
  await node?.stop();
  expect(existsSync(`/run/kubun/netns/node-${id}`)).toBe(false);
});

describe("node", () => {
  test("registered Ready with capacity, addresses, nodeInfo, labels, podCIDR and a lease", async () => {
    const n = JSON.parse((await k(["get", "node", `node-${node.id}`, "-o", "json"])).stdout);
    expect(n.status.capacity.pods).toBe("110");
    expect(Number(n.status.capacity.cpu)).toBeGreaterThan(0);
    expect(n.status.nodeInfo.containerRuntimeVersion).toMatch(/^kubun:\/\/v1\.33/);
    expect(n.metadata.labels["kubernetes.io/hostname"]).toBe(`node-${node.id}`);
    expect(n.metadata.labels["node-role.kubernetes.io/control-plane"]).toBe("true");
    expect(n.spec.podCIDR).toBe("10.42.0.0/24");
    const ready = n.status.conditions.find((c: any) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" });
    expect(n.status.conditions.map((c: any) => c.type).sort()).toEqual(["DiskPressure", "MemoryPressure", "PIDPressure", "Ready"]);
    expect(n.status.addresses.some((a: any) => a.type === "Hostname")).toBe(true);
    const lease = JSON.parse((await k(["get", "lease", "-n", "kube-node-lease", `node-${node.id}`, "-o", "json"])).stdout);
    expect(lease.spec.holderIdentity).toBe(`node-${node.id}`);
    for (const v of ["1.27", "1.33"] as const) expect((await k(["get", "nodes"], undefined, v)).stdout).toContain("Ready");
  });
});

describe("pods", () => {
  test("init container + two containers, env from configMap/secret/fieldRef, four volume kinds, configMap updates reach the volume", async () => {
    await apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {greeting: hello, mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
data: {password: czNjcmV0}  # base64 of s3cret
---
${podYaml("full", `  initContainers:
  - name: init
    image: busybox:test
    command: ["sh", "-c", "echo initialized > /work/init.txt"]
    volumeMounts: [{name: work, mountPath: /work}]
  containers:
  - name: main
    image: busybox:test
    command: ["sh", "-c", "echo GREETING=$GREETING PASS=$PASS POD=$POD_NAME NS=$POD_NS IP=$POD_IP EXPANDED=$(EXPANDED); echo K8S=$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT; cat /work/init.txt /cfg/greeting /sec/password; echo; cat /info/labels; echo; while true; do echo MODE=$(cat /cfg/mode); sleep 1; done"]
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}}
    - {name: PASS, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: EXPANDED, value: "$(GREETING)-world"}
    volumeMounts:
    - {name: work, mountPath: /work}
    - {name: cfg, mountPath: /cfg}
    - {name: sec, mountPath: /sec}
    - {name: info, mountPath: /info}
  - name: side
    image: busybox:test
    command: ["sh", "-c", "hostname; sleep 3600"]
  volumes:
  - {name: work, emptyDir: {}}
  - {name: cfg, configMap: {name: app-config}}
  - {name: sec, secret: {secretName: app-secret}}
  - name: info
    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
`).replace("metadata:\n  name: full", "metadata:\n  name: full\n  labels: {app: full, tier: web}")}`);
    const p = await waitPod("full", "Running 2/2", (p) => p.status?.phase === "Running" && cs(p, "main")?.ready && cs(p, "side")?.ready);
    expect(p.status.initContainerStatuses[0].state.terminated.reason).toBe("Completed");
    expect(p.status.podIP).toMatch(/^10\.42\.0\.\d+$/);
    expect(p.status.conditions.find((c: any) => c.type === "Initialized").status).toBe("True");
    const table = (await k(["get", "pod", "full"], undefined, "1.27")).stdout;
    expect(table).toMatch(/full\s+2\/2\s+Running\s+0/);
    let logs = "";
    await waitFor("main's output", async () => (logs = (await k(["logs", "full", "-c", "main"])).stdout).includes("MODE=fast"), 15_000);
    expect(logs).toContain(`GREETING=hello PASS=s3cret POD=full NS=default IP=${p.status.podIP} EXPANDED=hello-world`);
    expect(logs).toContain("K8S=10.43.0.1:443\n"); // service links (the kubernetes service from default)
    expect(logs).toContain("initialized\nhellos3cret");
    expect(logs).toContain('app="full"\ntier="web"');
    expect((await k(["logs", "full", "-c", "side"])).stdout.trim()).toBe("full");
    // secret volumes are memory-backed (tmpfs), configMaps are not — as upstream
    const mounts = (await k(["exec", "full", "-c", "main", "--", "cat", "/proc/mounts"])).stdout.split("\n");
    const fsAt = (mp: string) => mounts.find((l) => l.split(" ")[1] === mp)?.split(" ")[0] ?? "";
    expect(fsAt("/sec")).toBe("tmpfs");
    expect(fsAt("/cfg")).not.toBe("tmpfs");
    // configMap edits reach the mounted volume (atomic ..data swap)
    expect((await k(["patch", "configmap", "app-config", "-p", '{"data":{"mode":"slow"}}'])).code).toBe(0);
    await waitFor("the new configMap value in the volume", async () => (await k(["logs", "full", "-c", "main", "--tail=2"])).stdout.includes("MODE=slow"), 60_000);
  });

  test("logs -f streams until the container ends; restartPolicy Never → Succeeded", async () => {
    await apply(podYaml("counter", `  restartPolicy: Never
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done"]
`));
    await waitPod("counter", "started", (p) => !!cs(p, "c")?.containerID);
    const r = await k(["logs", "-f", "counter"]);
    expect(r.stdout).toBe("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n");
    const p = await waitPod("counter", "Succeeded", (p) => p.status?.phase === "Succeeded");
    expect(cs(p, "c").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect((await k(["get", "pod", "counter"])).stdout).toMatch(/counter\s+0\/1\s+Completed\s+0/);
    const ts = (await k(["logs", "counter", "--timestamps", "--tail=1"])).stdout;
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line 6\n$/);
  });

  test("liveness failure restarts the container; readiness toggles Ready", async () => {
    await apply(podYaml("probed", `  containers:
  - name: live
    image: busybox:test
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe: {exec: {command: ["cat", "/tmp/healthy"]}, periodSeconds: 1, failureThreshold: 2}
    terminationMessagePolicy: FallbackToLogsOnError
  - name: ready
    image: busybox:test
    command: ["sh", "-c", "touch /tmp/ready; sleep 3; rm /tmp/ready; sleep 3600"]
    readinessProbe: {exec: {command: ["cat", "/tmp/ready"]}, periodSeconds: 1, failureThreshold: 1}
  terminationGracePeriodSeconds: 1
`));
    await waitPod("probed", "ready container Ready", (p) => cs(p, "ready")?.ready === true);
    const p = await waitPod("probed", "ready container not Ready and liveness restarts", (p) => cs(p, "ready")?.ready === false && cs(p, "live")?.restartCount >= 1, 40_000);
    expect(p.status.conditions.find((c: any) => c.type === "Ready").status).toBe("False");
    const ev = (await k(["get", "events", "--field-selector", "involvedObject.name=probed", "-o", "json"])).stdout;
    const reasons = JSON.parse(ev).items.map((e: any) => e.reason);
    expect(reasons).toContain("Unhealthy");
    expect(reasons).toContain("Killing");
  });

  test("CrashLoopBackOff with growing back-off; OOMKilled shown", async () => {
    await apply(podYaml("crasher", `  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "echo dying; exit 3"]
`));
    await apply(podYaml("oom", `  restartPolicy: Never
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1"]
    resources: {limits: {memory: 16Mi}}
`));
    const p = await waitPod("crasher", "CrashLoopBackOff", (p) => cs(p, "c")?.state?.waiting?.reason === "CrashLoopBackOff");
    expect(cs(p, "c").lastState.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(cs(p, "c").state.waiting.message).toMatch(/^back-off 10s restarting failed container=c pod=crasher_default/);
    expect((await k(["get", "pod", "crasher"])).stdout).toMatch(/crasher\s+0\/1\s+CrashLoopBackOff\s+\d/);
    expect((await k(["logs", "crasher", "--previous"], undefined, "1.27")).stdout).toBe("dying\n");
    const again = await waitPod("crasher", "the second back-off", (p) => /back-off 20s/.test(cs(p, "c")?.state?.waiting?.message ?? ""), 40_000);
    expect(cs(again, "c").restartCount).toBeGreaterThanOrEqual(2);
    // only the current and the previous attempt keep their logs
    const logDir = join(node.dataDir, "agent", "logs", `default_crasher_${again.metadata.uid}`, "c");
    expect(readdirSync(logDir).length).toBeLessThanOrEqual(2);
    const oom = await waitPod("oom", "OOMKilled", (p) => p.status?.phase === "Failed");
    expect(cs(oom, "c").state.terminated).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
    expect((await k(["get", "pod", "oom"])).stdout).toMatch(/oom\s+0\/1\s+OOMKilled/);
    // the pod-level cgroup carries the summed limit too (Burstable: no CPU given)
    expect(oom.status.qosClass).toBe("Burstable");
    const memDir = node.cgroup.dirs.find((d) => /\/sys\/fs\/cgroup\/memory\//.test(d));
    if (memDir) expect(readFileSync(join(memDir, node.cgroup.podRootName, "kubepods", "burstable", `pod${oom.metadata.uid}`, "memory.limit_in_bytes"), "utf8").trim()).toBe(String(16 * 1024 * 1024));
  });

  test("delete runs preStop, then SIGTERM within the grace period, then the pod is gone", async () => {
    const shared = join(node.dir, "shared");
    mkdirSync(shared, { recursive: true });
    await apply(podYaml("graceful", `  terminationGracePeriodSeconds: 20
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "trap 'echo term >> /out/order; exit 0' TERM; echo started > /out/order; while true; do sleep 0.2; done"]
    lifecycle:
      preStop: {exec: {command: ["sh", "-c", "echo prestop >> /out/order"]}}
    volumeMounts: [{name: out, mountPath: /out}]
  volumes:
  - {name: out, hostPath: {path: ${shared}, type: Directory}}
`));
    await waitPod("graceful", "Running", (p) => p.status?.phase === "Running");
    await waitFor("the container to start", () => existsSync(join(shared, "order")), 10_000);
    const t0 = Date.now();
    const r = await k(["delete", "pod", "graceful", "--wait=true"]);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(readFileSync(join(shared, "order"), "utf8")).toBe("started\nprestop\nterm\n");
    expect((await k(["get", "pod", "graceful"])).stderr).toContain("NotFound");
  });

  test("a second delete with a shorter grace period cuts the first one short", async () => {
    await apply(podYaml("stubborn", `  terminationGracePeriodSeconds: 120
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 0.2; done"]
`));
    await waitPod("stubborn", "Running", (p) => p.status?.phase === "Running");
    expect((await k(["delete", "pod", "stubborn", "--wait=false"])).code).toBe(0);
    await waitPod("stubborn", "terminating", (p) => p.metadata.deletionGracePeriodSeconds === 120);
    await Bun.sleep(1000); // the kubelet is now inside the 120 s wait for an ignored SIGTERM
    const t0 = Date.now();
    const r = await k(["delete", "pod", "stubborn", "--grace-period=3", "--wait=true"]);
    expect(r.code).toBe(0);
    // 3 s from the second delete, not the 119 s left of the first
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect((await k(["get", "pod", "stubborn"])).stderr).toContain("NotFound");
  });

  test("kubectl top pod and node print numbers", async () => {
    await waitFor("metrics", async () => {
      const r = await k(["top", "pod", "full"]);
      return r.code === 0 && /full\s+\d+m\s+\d+Mi/.test(r.stdout);
    }, 30_000, () => "");
    const n = await k(["top", "node"]);
    expect(n.stdout).toMatch(new RegExp(`node-${node.id}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`));
  });

  test("nodes/proxy reaches the kubelet API: healthz, pods, stats/summary, metrics/resource", async () => {
    const raw = (p: string) => k(["get", "--raw", `/api/v1/nodes/node-${node.id}/proxy${p}`]);
    expect((await raw("/healthz")).stdout).toBe("ok");
    const pods = JSON.parse((await raw("/pods")).stdout);
    expect(pods.kind).toBe("PodList");
    expect(pods.items.map((p: any) => p.metadata.name)).toContain("full");
    const s = JSON.parse((await raw("/stats/summary")).stdout);
    expect(s.node.nodeName).toBe(`node-${node.id}`);
    expect(s.node.memory.workingSetBytes).toBeGreaterThan(0);
    const full = s.pods.find((p: any) => p.podRef.name === "full");
    expect(full.podRef.namespace).toBe("default");
    expect(full.containers.map((c: any) => c.name).sort()).toEqual(["main", "side"]);
    expect(full.memory.workingSetBytes).toBeGreaterThan(0);
    expect(full.cpu.usageCoreNanoSeconds).toBeGreaterThan(0);
    const m = (await raw("/metrics/resource")).stdout;
    expect(m).toMatch(/^container_memory_working_set_bytes\{container="main",namespace="default",pod="full"\} \d+ \d+$/m);
    expect(m).toMatch(/^node_cpu_usage_seconds_total [\d.e+-]+ \d+$/m);
    expect(m).toContain("\nscrape_error 0\n");
    // the kubelet's plain-text 404, which kubectl reports like a real kubelet's
    expect((await raw("/no-such-path")).stderr).toContain("(NotFound): the server could not find the requested resource");
    expect((await k(["get", "--raw", "/api/v1/nodes/no-such-node/proxy/healthz"])).stderr).toContain('nodes "no-such-node" not found');
  });

  test("hostPort DNAT, hostNetwork, shared UTS/IPC between a pod's containers", async () => {
    await apply(podYaml("hp", `  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox:test
    command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
    ports: [{containerPort: 8080, hostPort: 30080}]
  - name: peer
    image: busybox:test
    command: ["sh", "-c", "readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; sleep 3600"]
`));
    await apply(podYaml("hostnet", `  hostNetwork: true
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "ip -o link show cni0 && echo host-network-ok"]
`));
    await waitPod("hp", "Running", (p) => p.status?.phase === "Running" && cs(p, "peer")?.ready && cs(p, "web")?.ready);
    for (const addr of ["10.42.0.1", "127.0.0.1"]) {
      let body = "";
      await waitFor(`hostPort via ${addr}`, async () => {
        const r = await node.exec(["timeout", "5", "busybox", "wget", "-q", "-O", "-", `http://${addr}:30080/index.html`]);
        body = r.stdout;
        return r.code === 0;
      }, 15_000, () => body);
      expect(body).toBe("hello from busybox\n");
    }
    // the rules behind it, in the backend the node uses
    const nat = await node.exec(["sh", "-c", "iptables-nft-save -t nat 2>/dev/null; iptables-legacy-save -t nat 2>/dev/null"]);
    expect(nat.stdout).toMatch(/-A KUBUN-POSTROUTING -s 10\.42\.0\.0\/16 ! -d 10\.42\.0\.0\/16 .*-j MASQUERADE/);
    expect(nat.stdout).toMatch(/-A KUBUN-HOSTPORTS .*--dport 30080 .*-j DNAT --to-destination 10\.42\.0\.\d+:8080/);
    const web = (await k(["exec", "hp", "-c", "web", "--", "sh", "-c", "readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts"])).stdout;
    expect(web).toMatch(/^ipc:\[\d+\]\nuts:\[\d+\]\n$/);
    // the command line as written, not the PATH-resolved program (runc keeps argv[0] too)
    expect((await k(["exec", "hp", "-c", "web", "--", "cat", "/proc/1/cmdline"])).stdout).toBe("httpd\0-f\0-p\x008080\0-h\0/var/www\0");
    let peer = "";
    await waitFor("peer output", async () => (peer = (await k(["logs", "hp", "-c", "peer"])).stdout).includes("uts:"), 10_000);
    expect(peer).toBe(web);
    const hn = await waitPod("hostnet", "Succeeded", (p) => p.status?.phase === "Succeeded");
    expect(hn.status.podIP).toBe(hn.status.hostIP);
    expect((await k(["logs", "hostnet"])).stdout).toContain("host-network-ok");
  });

  test("a local-path PVC binds through the scheduler and its data survives pod re-creation", async () => {
    const pvPod = (name: string, cmd: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "${cmd}"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: store}}]
`;
    await apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: store}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Mi}}
---
${pvPod("writer", "echo persisted > /data/file")}`);
    await waitPod("writer", "Succeeded", (p) => p.status?.phase === "Succeeded", 60_000);
    expect(JSON.parse((await k(["get", "pvc", "store", "-o", "json"])).stdout).status.phase).toBe("Bound");
    expect((await k(["delete", "pod", "writer"])).code).toBe(0);
    await apply(pvPod("reader", "cat /data/file"));
    await waitPod("reader", "Succeeded", (p) => p.status?.phase === "Succeeded", 60_000);
    expect((await k(["logs", "reader"])).stdout).toBe("persisted\n");
  });

  test("force delete: containers are killed and the pod's directories removed", async () => {
    await apply(podYaml("forced", `  terminationGracePeriodSeconds: 30
  containers:
  - {name: c, image: busybox:test, command: ["sleep", "3600"]}
`));
    const p = await waitPod("forced", "Running", (p) => p.status?.phase === "Running");
    const uid = p.metadata.uid;
    expect(existsSync(join(node.dataDir, "agent", "pods", uid))).toBe(true);
    expect((await k(["delete", "pod", "forced", "--grace-period=0", "--force"])).code).toBe(0);
    await waitFor("the pod's files to go", () => !existsSync(join(node.dataDir, "agent", "pods", uid)) && !readdirSync(join(node.dataDir, "agent", "containers")).some((d) => d.startsWith(uid)), 20_000);
  });

  test("config errors, image pull errors, activeDeadlineSeconds, postStart, sidecars, image edits", async () => {
    await apply(podYaml("noconfig", `  containers:
  - name: c
    image: busybox:test
    command: ["sleep", "3600"]
    env: [{name: X, valueFrom: {configMapKeyRef: {name: missing-cm, key: k}}}]
`));
    await apply(podYaml("nopull", `  containers:
  - {name: c, image: "127.0.0.1:1/nothing/here:1", command: ["true"]}
`));
    await apply(podYaml("deadline", `  activeDeadlineSeconds: 2
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox:test, command: ["sleep", "3600"]}
`));
    await apply(podYaml("hooks", `  terminationGracePeriodSeconds: 1
  initContainers:
  - name: sidecar
    image: busybox:test
    restartPolicy: Always
    command: ["sh", "-c", "echo sidecar up; sleep 3600"]
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "sleep 1; cat /tmp/poststart; sleep 3600"]
    lifecycle:
      postStart: {exec: {command: ["sh", "-c", "echo from-poststart > /tmp/poststart"]}}
`));
    // logs of a pod no node runs yet: upstream's message
    await apply("apiVersion: v1\nkind: Pod\nmetadata: {name: unbound}\nspec:\n  schedulerName: nobody\n  containers: [{name: c, image: busybox:test}]\n");
    expect((await k(["logs", "unbound"])).stderr).toContain("pod unbound does not have a host assigned");
    const nc = await waitPod("noconfig", "CreateContainerConfigError", (p) => cs(p, "c")?.state?.waiting?.reason === "CreateContainerConfigError");
    expect(cs(nc, "c").state.waiting.message).toBe('configmap "missing-cm" not found');
    const np = await waitPod("nopull", "ImagePullBackOff", (p) => cs(p, "c")?.state?.waiting?.reason === "ImagePullBackOff", 20_000);
    expect(cs(np, "c").state.waiting.message).toBe('Back-off pulling image "127.0.0.1:1/nothing/here:1"');
    const npEvents = JSON.parse((await k(["get", "events", "--field-selector", "involvedObject.name=nopull", "-o", "json"])).stdout).items.map((e: any) => e.message);
    expect(npEvents).toContain("Error: ErrImagePull");
    expect(npEvents.some((m: string) => m.startsWith('Failed to pull image "127.0.0.1:1/nothing/here:1"'))).toBe(true);
    const dl = await waitPod("deadline", "DeadlineExceeded", (p) => p.status?.phase === "Failed");
    expect(dl.status.reason).toBe("DeadlineExceeded");
    const hk = await waitPod("hooks", "Running with its sidecar", (p) => p.status?.phase === "Running" && cs(p, "c")?.ready && p.status.initContainerStatuses?.[0]?.state?.running);
    expect(hk.status.initContainerStatuses[0]).toMatchObject({ name: "sidecar", ready: true, started: true });
    await waitFor("postStart output", async () => (await k(["logs", "hooks", "-c", "c"])).stdout === "from-poststart\n", 10_000);
    expect((await k(["get", "pod", "hooks"])).stdout).toMatch(/hooks\s+2\/2\s+Running/);
    // editing the image restarts the container with the new one
    const before = cs(hk, "c").containerID;
    expect((await k(["set", "image", "pod/hooks", "c=docker.io/library/busybox:test"])).code).toBe(0);
    const after = await waitPod("hooks", "restarted for the new image", (p) => cs(p, "c")?.containerID !== before && cs(p, "c")?.state?.running);
    expect(cs(after, "c").restartCount).toBe(1);
    expect(cs(after, "c").image).toBe("docker.io/library/busybox:test");
  });

  test("securityContext (runAsUser, fsGroup, supplementalGroups, readOnlyRootFilesystem, no_new_privs) and a Memory emptyDir", async () => {
    await apply(podYaml("secure", `  restartPolicy: Never
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "id; stat -c '%g %A' /cache; df -k /cache | tail -1; touch /rootfile 2>/dev/null || echo read-only-root; grep NoNewPrivs /proc/self/status; echo ok > /cache/f && echo cache-writable"]
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
    volumeMounts: [{name: cache, mountPath: /cache}]
  volumes: [{name: cache, emptyDir: {medium: Memory, sizeLimit: 1Mi}}]
`));
    await waitPod("secure", "Succeeded", (p) => p.status?.phase === "Succeeded");
    const out = (await k(["logs", "secure"])).stdout;
    expect(out).toMatch(/^uid=1000\(user\) gid=3000 groups=2000,3000,4000$/m);
    expect(out).toMatch(/^2000 drwxrwsrwx$/m);
    expect(out).toMatch(/^tmpfs\s+1024\s/m);
    expect(out).toContain("read-only-root");
    expect(out).toMatch(/NoNewPrivs:\s+1/);
    expect(out).toContain("cache-writable");
  });

  test("termination messages, subPath, projected volumes, startup + httpGet probes, dropped capabilities", async () => {
    await apply(podYaml("lastwords", `  restartPolicy: Never
  containers:
  - name: file
    image: busybox:test
    command: ["sh", "-c", "echo 'bye from file' > /dev/termination-log; exit 2"]
  - name: logs
    image: busybox:test
    command: ["sh", "-c", "echo 'bye from logs'; exit 3"]
    terminationMessagePolicy: FallbackToLogsOnError
`));
    await apply(podYaml("mounts", `  restartPolicy: Never
  containers:
  - name: c
    image: busybox:test
    command: ["sh", "-c", "cat /etc/app.conf; echo; ls /proj | sort | tr '\\n' ' '; echo; cat /proj/ns; echo; grep CapEff /proc/self/status; grep ' /proj ' /proc/mounts | cut -d' ' -f3; cat /etc/hostname; echo x > /sub/f && ls /full/part"]
    securityContext: {capabilities: {drop: [ALL]}}
    volumeMounts:
    - {name: cfg, mountPath: /etc/app.conf, subPath: greeting}
    - {name: proj, mountPath: /proj}
    - {name: scratch, mountPath: /sub, subPath: part}
    - {name: scratch, mountPath: /full}
  volumes:
  - {name: cfg, configMap: {name: app-config}}
  - {name: scratch, emptyDir: {}}
  - name: proj
    projected:
      sources:
      - configMap: {name: app-config, items: [{key: mode, path: mode}]}
      - secret: {name: app-secret}
      - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
`));
    await apply(podYaml("probes", `  containers:
  - name: web
    image: busybox:test
    command: ["sh", "-c", "sleep 2; httpd -f -p 8080 -h /var/www"]
    ports: [{name: http, containerPort: 8080}]
    startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 10}
    readinessProbe: {httpGet: {path: /index.html, port: http}, periodSeconds: 1}
`));
    const lw = await waitPod("lastwords", "Failed", (p) => p.status?.phase === "Failed");
    expect(cs(lw, "file").state.terminated).toMatchObject({ exitCode: 2, reason: "Error", message: "bye from file\n" });
    expect(cs(lw, "logs").state.terminated).toMatchObject({ exitCode: 3, message: "bye from logs\n" });
    await waitPod("mounts", "Succeeded", (p) => p.status?.phase === "Succeeded");
    const out = (await k(["logs", "mounts"])).stdout;
    expect(out).toContain("hello\nmode ns password \ndefault\n");
    expect(out).toMatch(/CapEff:\s+0000000000000000/);
    // a projected volume is memory-backed like upstream's; /etc/hostname is the pod's
    expect(out).toContain("\ntmpfs\nmounts\n");
    expect(out.trim().endsWith("f")).toBe(true);
    const early = await waitPod("probes", "running, not yet started", (p) => cs(p, "web")?.state?.running);
    if (!cs(early, "web").ready) expect(cs(early, "web").started).toBe(false);
    const pr = await waitPod("probes", "started and ready", (p) => cs(p, "web")?.started && cs(p, "web")?.ready, 30_000);
    expect(pr.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
  });

  test("pod networking end to end: cluster DNS, a Service from another pod, and hairpin back to itself", async () => {
    await apply(`apiVersion: v1
kind: Service
metadata: {name: websvc}
spec:
  selector: {app: websvc}
  ports: [{port: 80, targetPort: 8080}]
---
${podYaml("websrv", `  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox:test, command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]}
`).replace("name: websrv", "name: websrv\n  labels: {app: websvc}")}`);
    await waitPod("websrv", "Running", (p) => p.status?.phase === "Running");
    await apply(podYaml("client", `  restartPolicy: Never
  containers:
  - {name: c, image: busybox:test, command: ["sh", "-c", "nslookup websvc.default.svc.cluster.local >/dev/null && echo resolved; timeout 5 wget -q -O - http://websvc/index.html"]}
`));
    await waitPod("client", "Succeeded", (p) => p.status?.phase === "Succeeded", 30_000);
    expect((await k(["logs", "client"])).stdout).toBe("resolved\nhello from busybox\n");
    // hairpin: the serving pod reaches itself through its own Service
    const self = await k(["exec", "websrv", "--", "timeout", "5", "wget", "-q", "-O", "-", "http://websvc.default.svc.cluster.local/index.html"]);
    expect(self.stdout).toBe("hello from busybox\n");
  });

  test("kill -9 of kubun: pods keep running, are re-adopted with the same pids and restartCount 0", async () => {
    const before = await getPod("full");
    const stateDir = join(node.dataDir, "agent", "containers");
    const pidOf = (id: string) => JSON.parse(readFileSync(join(stateDir, id, "state.json"), "utf8")).status.pid as number;
    const ids = before.status.containerStatuses.map((c: any) => c.containerID.replace("kubun://", ""));
    const pids = ids.map(pidOf);
    const done = await getPod("counter");
    await node.restart({ kill9: true });
    for (const pid of pids) expect(pidAlive(pid)).toBe(true);
    await Bun.sleep(0); // the agent re-adopts at start; its status write (if any) comes next
    const after = await waitPod("full", "re-adopted", (p) => p.status?.phase === "Running" && cs(p, "main")?.ready);
    expect(after.status.containerStatuses.map((c: any) => c.restartCount)).toEqual([0, 0]);
    expect(after.status.containerStatuses.map((c: any) => c.containerID.replace("kubun://", ""))).toEqual(ids);
    expect(ids.map(pidOf)).toEqual(pids);
    // a pod that had finished stays finished, without a new sandbox
    await Bun.sleep(500);
    const doneAfter = await getPod("counter");
    expect(doneAfter.status.phase).toBe("Succeeded");
    expect(doneAfter.status.podIP).toBe(done.status.podIP);
    expect(existsSync(`/run/kubun/netns/node-${node.id}/${done.metadata.uid}`)).toBe(false);
    // logs still flow after the restart
    const mark = (await k(["logs", "full", "-c", "main"])).stdout.length;
    await waitFor("new output after restart", async () => (await k(["logs", "full", "-c", "main"])).stdout.length > mark, 10_000);
    // a graceful stop (SIGTERM) leaves them running too
    await node.restart();
    for (const pid of pids) expect(pidAlive(pid)).toBe(true);
    const again = await waitPod("full", "re-adopted after SIGTERM", (p) => p.status?.phase === "Running" && cs(p, "main")?.ready);
    expect(again.status.containerStatuses.map((c: any) => c.restartCount)).toEqual([0, 0]);
    expect((await k(["exec", "full", "-c", "main", "--", "cat", "/cfg/greeting"])).stdout).toBe("hello");
  });
});
