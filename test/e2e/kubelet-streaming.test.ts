// exec (plain and with a tty through a pty), cp both ways and port-forward against real pods,
// with kubectl 1.27 (SPDY exec) and 1.33 (WebSocket exec, tunnelled port-forward).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KUBECTL_DIR, startNode, waitFor, type TestNode } from "../harness/node.ts";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";
import { start } from "../../pkg/kubelet/streaming/testing/proc.ts";

setDefaultTimeout(90_000);
let node: TestNode;
const VERSIONS = ["1.27", "1.33"] as const;
const k = (args: string[], version: (typeof VERSIONS)[number] = "1.33", stdin?: string) => node.kubectl(version, args, { stdin, timeoutMs: 60_000 });
const hostKubectl = (v: string) => `${join(KUBECTL_DIR, `kubectl.${v}`)} --kubeconfig ${node.hostKubeconfig}`;

beforeAll(async () => {
  node = await startNode({
    async prepare(dataDir) {
      const dir = join(dataDir, "agent", "images");
      mkdirSync(dir, { recursive: true });
      await buildBusyboxImage({ dir, format: "docker", name: "docker.io/library/busybox:test" });
    },
  });
  const r = await k(["apply", "-f", "-"], "1.33", `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello}
---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  nodeName: node-${node.id}
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:test
    command: ["sleep", "3600"]
    env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}}]
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  - name: web
    image: busybox:test
    command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
  - name: local
    image: busybox:test
    command: ["httpd", "-f", "-p", "127.0.0.1:9090", "-h", "/var/www"]
  volumes: [{name: cfg, configMap: {name: cfg}}]
`);
  if (r.code !== 0) throw new Error(r.stderr);
  await waitFor("pod shell Running", async () => (await k(["get", "pod", "shell"])).stdout.includes("3/3"), 30_000, () => node.logs());
});
afterAll(async () => {
  await node?.stop();
});

describe.each(VERSIONS)("kubectl %s", (v) => {
  test("exec prints files, env and exit codes", async () => {
    const r = await k(["exec", "shell", "-c", "main", "--", "sh", "-c", "cat /cfg/greeting; echo; echo $GREETING; echo err >&2"], v);
    expect(r.stdout).toBe("hello\nhello\n");
    expect(r.stderr).toContain("err");
    const bad = await k(["exec", "shell", "-c", "main", "--", "sh", "-c", "exit 7"], v);
    expect(bad.code).toBe(7);
    const stdin = await k(["exec", "-i", "shell", "-c", "main", "--", "wc", "-c"], v, "12345");
    expect(stdin.stdout.trim()).toBe("5");
  });

  test("exec -it with a tty driven through a pty", async () => {
    const env = { ...process.env, HOME: node.dir, TERM: "xterm" } as Record<string, string>;
    const r = start(["/usr/bin/script", "-qec", `stty cols 100 rows 40; ${hostKubectl(v)} exec -it shell -c main -- sh`, "/dev/null"], env, 30_000);
    try {
      await r.waitFor(/# /, 15_000);
      r.write("echo $((6*7)); stty size; [ -t 0 ] && echo on-a-terminal\r");
      await r.waitFor(/42\r?\n40 100\r?\non-a-terminal/, 10_000);
      r.write("exit\r");
      expect(await r.exited).toBe(0);
      expect(r.out().match(/Enter 'help'/g)?.length).toBe(1); // output is not duplicated
    } finally {
      r.kill();
    }
  });

  test("cp both ways", async () => {
    const local = join(node.dir, `cp-${v}.txt`);
    writeFileSync(local, `payload ${v}\n`.repeat(1000));
    const up = await node.kubectl(v, ["cp", local, `shell:/tmp/in-${v}.txt`, "-c", "main"]);
    expect(up.code).toBe(0);
    expect((await k(["exec", "shell", "-c", "main", "--", "wc", "-l", `/tmp/in-${v}.txt`], v)).stdout).toContain("1000");
    const back = join(node.dir, `back-${v}.txt`);
    const down = await node.kubectl(v, ["cp", `shell:/tmp/in-${v}.txt`, back, "-c", "main"]);
    expect(down.code).toBe(0);
    expect(readFileSync(back, "utf8")).toBe(readFileSync(local, "utf8"));
  });

  test("port-forward to busybox httpd (on all addresses, and on the pod's localhost only)", async () => {
    const env = { ...process.env, HOME: node.dir } as Record<string, string>;
    const r = start([join(KUBECTL_DIR, `kubectl.${v}`), "--kubeconfig", node.hostKubeconfig, "port-forward", "pod/shell", ":8080", ":9090"], env, 30_000);
    try {
      const m = await r.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/, 15_000);
      const m2 = await r.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 9090/, 15_000);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${m[1]}/index.html`);
        expect(await res.text()).toBe("hello from busybox\n");
        const res2 = await fetch(`http://127.0.0.1:${m2[1]}/index.html`);
        expect(await res2.text()).toBe("hello from busybox\n");
      }
    } finally {
      r.kill();
      await r.exited;
    }
  });
});

test("attach sees the container's output", async () => {
  const r = await k(["apply", "-f", "-"], "1.33", `apiVersion: v1
kind: Pod
metadata: {name: talker}
spec:
  nodeName: node-${node.id}
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox:test, command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]}
`);
  expect(r.code).toBe(0);
  await waitFor("talker Running", async () => (await k(["get", "pod", "talker"])).stdout.includes("Running"), 30_000);
  const env = { ...process.env, HOME: node.dir } as Record<string, string>;
  const a = start([join(KUBECTL_DIR, "kubectl.1.33"), "--kubeconfig", node.hostKubeconfig, "attach", "talker"], env, 30_000);
  try {
    await a.waitFor(/tick \d+\n(.|\n)*tick \d+\n/, 10_000);
  } finally {
    a.kill();
    await a.exited;
  }
});

test("attach -it to a tty container (stdin + tty) through a pty", async () => {
  const r0 = await k(["apply", "-f", "-"], "1.33", `apiVersion: v1
kind: Pod
metadata: {name: term}
spec:
  nodeName: node-${node.id}
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox:test, command: ["sh"], stdin: true, tty: true}
`);
  expect(r0.code).toBe(0);
  await waitFor("term Running", async () => (await k(["get", "pod", "term"])).stdout.includes("Running"), 30_000);
  for (const v of VERSIONS) {
    const env = { ...process.env, HOME: node.dir, TERM: "xterm" } as Record<string, string>;
    const r = start(["/usr/bin/script", "-qec", `stty cols 80 rows 24; ${hostKubectl(v)} attach -it term`, "/dev/null"], env, 30_000);
    try {
      await Bun.sleep(500); // attach prints its hint, the shell prints nothing until it gets input
      r.write(`echo attached-$((40+2))-${v}\r`);
      await r.waitFor(new RegExp(`attached-42-${v.replace(".", "\\.")}`), 10_000);
    } finally {
      r.kill();
      await r.exited;
    }
  }
});

test("kubectl debug: an ephemeral container sees its target's processes, -i attaches, statuses follow, deletion stops it", async () => {
  // the "shell" pod from beforeAll runs `sleep 3600` in container main
  for (const v of VERSIONS) {
    const name = `dbg-${v.replace(".", "")}`;
    const r = await k(["debug", "shell", "--image=busybox:test", "--target=main", `--container=${name}`, "--", "sh", "-c", "ps -o comm; echo debug-done"], v);
    expect(r.code).toBe(0);
    let logs = "";
    await waitFor(`${name} output`, async () => (logs = (await k(["logs", "shell", "-c", name], v)).stdout).includes("debug-done"), 30_000, () => logs);
    // --target: the target's PID namespace, so its sleep is listed (first, as PID 1)
    expect(logs.split("\n").slice(0, 2)).toEqual(["COMMAND", "sleep"]);
  }
  // -i: attached through stdin; a non-zero exit is not an attach failure (no replay from the logs)
  const i = await k(["debug", "-i", "shell", "--image=busybox:test", "--container=dbg-i", "--", "sh"], "1.33", "echo via-attach-$((6*7)); exit 3\n");
  expect(i.code).toBe(0);
  expect(i.stdout).toBe("via-attach-42\n");
  expect(i.stderr).not.toContain("falling back to streaming logs");
  const pod = JSON.parse((await k(["get", "pod", "shell", "-o", "json"])).stdout);
  const st = Object.fromEntries(pod.status.ephemeralContainerStatuses.map((s: any) => [s.name, s]));
  expect(Object.keys(st).sort()).toEqual(["dbg-127", "dbg-133", "dbg-i"]);
  expect(st["dbg-i"].state.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
  expect(st["dbg-133"]).toMatchObject({ ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } });
  // never restarted, and the app container is untouched
  expect(pod.status.containerStatuses[0]).toMatchObject({ name: "main", ready: true, restartCount: 0 });
  expect((await k(["describe", "pod", "shell"])).stdout).toMatch(/Ephemeral Containers:\n {2}dbg-127:/);
  // a running ephemeral container is stopped with the pod (last test: the shared pod goes)
  expect((await k(["debug", "shell", "--image=busybox:test", "--container=dbg-long", "--", "sleep", "3601"])).code).toBe(0);
  await waitFor("dbg-long running", async () => JSON.parse((await k(["get", "pod", "shell", "-o", "json"])).stdout).status.ephemeralContainerStatuses?.some((s: any) => s.name === "dbg-long" && s.state.running), 30_000);
  const sleeping = () => node.cgroup.pids().filter((pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8") === "sleep\x003601\x00"; } catch { return false; } });
  expect(sleeping().length).toBe(1);
  const t0 = Date.now();
  expect((await k(["delete", "pod", "shell", "--wait=true"])).code).toBe(0);
  expect(Date.now() - t0).toBeLessThan(15_000);
  expect(sleeping()).toEqual([]);
});
