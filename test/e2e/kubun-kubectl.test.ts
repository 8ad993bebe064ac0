// `kubun kubectl` end to end against a node that runs pods (busybox test image), compared
// line by line with the real kubectl 1.33 wherever both print the same thing.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn } from "bun";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";
import { REPO, startNode, waitFor, type RunResult, type TestNode } from "../harness/node.ts";

setDefaultTimeout(60_000);

const ENTRY = [join(REPO, "cmd", "kubun.ts"), "kubectl"];

let node: TestNode;
let dir: string;
const IMAGE = "docker.io/library/busybox:test";

/** Ours, inside the node's network namespace. */
const kk = (args: string[], o: { stdin?: string; timeoutMs?: number } = {}) =>
  node.exec([process.execPath, ...ENTRY, "--kubeconfig", node.kubeconfig, ...args], { stdin: o.stdin, timeoutMs: o.timeoutMs ?? 60_000 });
/** The real kubectl 1.33. */
const real = (args: string[], o: { stdin?: string } = {}) => node.kubectl("1.33", args, { stdin: o.stdin, timeoutMs: 60_000 });

const ok = async (r: Promise<RunResult>, what = "command") => {
  const res = await r;
  if (res.code !== 0) throw new Error(`${what} failed (${res.code}):\n${res.stderr}\n${res.stdout}`);
  return res;
};

/** Ages move on between two runs; everything else must match. */
// Column widths follow the ages' widths, so runs of spaces are compared as two.
const norm = (s: string) => s.replace(/\b\d+(?:y\d*d?|d\d*h?|h\d*m?|m\d*s?|s)\b/g, "<age>").replace(/ {2,}/g, "  ");

/** Both clients print the same stdout, stderr and exit code (retried: controllers may act in between). */
async function same(args: string[], o: { stdin?: string } = {}): Promise<RunResult> {
  let mine: RunResult | undefined;
  let theirs: RunResult | undefined;
  for (let i = 0; i < 4; i++) {
    [mine, theirs] = [await kk(args, o), await real(args, o)];
    if (norm(mine.stdout) === norm(theirs.stdout) && norm(mine.stderr) === norm(theirs.stderr) && mine.code === theirs.code) return mine;
    await Bun.sleep(300);
  }
  expect({ args, stdout: norm(mine!.stdout), stderr: norm(mine!.stderr), code: mine!.code }).toEqual({ args, stdout: norm(theirs!.stdout), stderr: norm(theirs!.stderr), code: theirs!.code });
  return mine!;
}

const file = (name: string, text: string) => {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
};

const deployment = (name: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${IMAGE}
        command: ["sh", "-c", "mkdir -p /www && echo hello-${name} > /www/index.html && exec httpd -f -p 8080 -h /www"]
        ports:
        - {containerPort: 8080, name: http}
        env:
        - {name: A, value: "1"}
`;

beforeAll(async () => {
  node = await startNode({
    async prepare(dataDir) {
      const d = join(dataDir, "agent", "images");
      mkdirSync(d, { recursive: true });
      await buildBusyboxImage({ dir: d, format: "oci", name: IMAGE });
    },
  });
  dir = node.dir;
  await waitFor("node Ready", async () => (await real(["get", "nodes", "--no-headers"])).stdout.includes(" Ready"), 30_000);
}, 90_000);

afterAll(async () => {
  await node?.stop();
}, 60_000);

describe("kubun kubectl", () => {
  test("version, cluster-info, api-resources match kubectl", async () => {
    const mine = await ok(kk(["version"]));
    const theirs = await real(["version"]);
    expect(mine.stdout).toMatch(/^Client Version: v1\.\d+\.\d+/);
    expect(mine.stdout.split("\n").find((l) => l.startsWith("Server Version"))).toBe(theirs.stdout.split("\n").find((l) => l.startsWith("Server Version")));
    await same(["cluster-info"]);
    await same(["api-resources"]);
    await same(["api-resources", "--namespaced=false", "-o", "name"]);
  });

  test("apply -f: directories, stdin, multi-document YAML, server-side with field manager kubectl", async () => {
    file("app/10-web.yaml", deployment("web") + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n");
    file("app/20-cm.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1, labels: {team: a}}\ndata: {a: '1', b: two}\n");
    file("app/ignored.txt", "not a manifest");
    const r = await ok(kk(["apply", "-f", join(dir, "app")]));
    expect(r.stdout).toBe("deployment.apps/web serverside-applied\nservice/web serverside-applied\nconfigmap/cm1 serverside-applied\n");
    const s = await ok(kk(["apply", "-f", "-"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\ndata: {x: y}\n" }));
    expect(s.stdout).toBe("configmap/cm2 serverside-applied\n");
    const cm = JSON.parse((await ok(real(["get", "cm", "cm1", "-o", "json", "--show-managed-fields"]))).stdout);
    expect(cm.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`)).toContain("kubectl/Apply");
    // Another manager owning a field: a conflict, then --force-conflicts takes it.
    await ok(kk(["apply", "--field-manager=other", "--force-conflicts", "-f", "-"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\ndata: {x: z}\n" }));
    const again = await kk(["apply", "-f", "-"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\ndata: {x: mine}\n" });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "other".*\.data\.x\nPlease review the fields above/);
    expect(again.stderr).toContain("--force-conflicts");
    await ok(kk(["apply", "--force-conflicts", "-f", "-"], { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\ndata: {x: mine}\n" }));
    expect((await ok(real(["get", "cm", "cm2", "-o", "jsonpath={.data.x}"]))).stdout).toBe("mine");
  });

  test("create -f and its AlreadyExists error match kubectl", async () => {
    const p = file("cm3.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm3}\ndata: {k: v}\n");
    expect((await ok(kk(["create", "-f", p]))).stdout).toBe("configmap/cm3 created\n");
    const mine = await kk(["create", "-f", p]);
    const theirs = await real(["create", "-f", p]);
    expect([mine.code, mine.stderr]).toEqual([theirs.code, theirs.stderr]);
    expect(mine.stderr).toBe(`Error from server (AlreadyExists): error when creating "${p}": configmaps "cm3" already exists\n`);
  });

  test("rollout status waits for the deployment; wait --for=condition", async () => {
    const r = await ok(kk(["rollout", "status", "deployment/web", "--timeout=60s"], { timeoutMs: 70_000 }));
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe('deployment "web" successfully rolled out');
    await same(["rollout", "status", "deploy/web"]);
    const w = await ok(kk(["wait", "--for=condition=Available", "deploy/web", "--timeout=30s"]));
    expect(w.stdout).toBe("deployment.apps/web condition met\n");
    await same(["wait", "--for=condition=Bogus", "deploy/web", "--timeout=1s"]);
    await same(["wait", "--for=condition=Available", "deploy/nope", "--timeout=1s"]);
  });

  test("get: tables, wide, -A, multiple types, selectors, labels and structured output match kubectl", async () => {
    for (const args of [
      ["get", "all"],
      ["get", "all", "-A"],
      ["get", "deploy,svc", "-o", "wide"],
      ["get", "pods", "-A", "-o", "wide"],
      ["get", "pods", "-l", "app=web", "--show-labels"],
      ["get", "cm", "--field-selector", "metadata.name=cm1", "--no-headers"],
      ["get", "ns", "default", "kube-system"],
      ["get", "deploy/web", "svc/web"],
      ["get", "nodes"],
      ["get", "cm", "cm1", "-o", "yaml"],
      ["get", "cm", "-o", "json"],
      ["get", "deploy", "web", "-o", "yaml"],
      ["get", "svc,cm", "-o", "name"],
      ["get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}"],
      ["get", "cm", "-o", "custom-columns=NAME:.metadata.name,TEAM:.metadata.labels.team,NS:metadata.namespace"],
      ["get", "pods", "-A", "-o", "custom-columns=POD:.metadata.name,CONTAINERS:.spec.containers[*].name"],
      ["get", "cm", "-A", "--sort-by=.metadata.name"],
      ["get", "pods", "-A", "--sort-by=.metadata.creationTimestamp", "-o", "name"],
      ["get", "svc", "-A", "--sort-by=.spec.ports[0].port"],
      ["get", "pod", "nope"],
      ["get", "bogus"],
      ["get", "pods", "-n", "empty-ns"],
    ]) {
      await same(args);
    }
  });

  test("get -w prints the table, then a row per change", async () => {
    const p = spawn([process.execPath, ...ENTRY, "--kubeconfig", node.hostKubeconfig, "get", "cm", "-w"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, HOME: dir } });
    try {
      let out = "";
      const reader = (async () => {
        for await (const c of p.stdout as unknown as AsyncIterable<Uint8Array>) out += new TextDecoder().decode(c);
      })();
      await waitFor("watch header", () => out.startsWith("NAME"), 15_000);
      await ok(real(["create", "configmap", "watched", "--from-literal=a=b"]));
      await waitFor("watched row", () => /\nwatched +1 +\d+s\n/.test(out), 15_000, () => out);
      expect(out.split("\n")[0]).toMatch(/^NAME +DATA +AGE$/);
      void reader;
    } finally {
      p.kill();
      await p.exited;
    }
  });

  test("describe matches kubectl for the common kinds", async () => {
    const rs = JSON.parse((await ok(real(["get", "rs", "-l", "app=web", "-o", "json"]))).stdout).items[0].metadata.name;
    const nodeName = (await ok(real(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]))).stdout;
    for (const args of [
      ["describe", "deploy", "web"],
      ["describe", "rs", rs],
      ["describe", "pods", "-l", "app=web"],
      ["describe", "svc", "web"],
      ["describe", "cm", "cm1"],
      ["describe", "ns", "default"],
      ["describe", "sa", "default"],
      ["describe", "node", nodeName],
      ["describe", "pod", "nope"],
    ]) {
      await same(args);
    }
  });

  test("describe daemonset, statefulset, cronjob and job match kubectl", async () => {
    const c = `containers: [{name: c, image: "${IMAGE}", command: [sleep, "3600"]}]`;
    await ok(
      kk(["apply", "-f", "-"], {
        stdin: [
          `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds1}\nspec:\n  selector: {matchLabels: {app: ds1}}\n  template:\n    metadata: {labels: {app: ds1}}\n    spec: {${c}}\n`,
          `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: ss1}\nspec:\n  serviceName: ss1\n  replicas: 1\n  selector: {matchLabels: {app: ss1}}\n  template:\n    metadata: {labels: {app: ss1}}\n    spec: {${c}}\n`,
          `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj1}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: Never, ${c}}\n`,
          `apiVersion: batch/v1\nkind: Job\nmetadata: {name: job1}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: c, image: "${IMAGE}", command: [echo, hi]}]}\n`,
        ].join("---\n"),
      }),
    );
    await ok(kk(["rollout", "status", "ds/ds1", "--timeout=30s"], { timeoutMs: 40_000 }));
    await ok(kk(["wait", "--for=condition=Complete", "job/job1", "--timeout=30s"], { timeoutMs: 40_000 }));
    for (const args of [["describe", "ds", "ds1"], ["describe", "sts", "ss1"], ["describe", "cj", "cj1"], ["describe", "job", "job1"]]) await same(args);
    await ok(kk(["delete", "ds/ds1", "sts/ss1", "cj/cj1", "job/job1", "--grace-period=1"]));
  });

  test("describe persistentvolumeclaim and persistentvolume match kubectl", async () => {
    await ok(
      kk(["apply", "-f", "-"], {
        stdin: `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data1}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: pvc-user}\nspec:\n  containers: [{name: c, image: "${IMAGE}", command: [sh, -c, "trap 'exit 0' TERM; while :; do sleep 0.2; done"], volumeMounts: [{name: d, mountPath: /data}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data1}}]\n`,
      }),
    );
    await ok(kk(["wait", "--for=condition=Ready", "pod/pvc-user", "--timeout=30s"], { timeoutMs: 40_000 }));
    const pv = (await ok(real(["get", "pvc", "data1", "-o", "jsonpath={.spec.volumeName}"]))).stdout;
    expect(pv).not.toBe("");
    await same(["describe", "pvc", "data1"]);
    await same(["describe", "pv", pv]);
    await ok(kk(["delete", "pod/pvc-user", "pvc/data1"]));
  });

  test("patch, label, annotate and edit", async () => {
    // Mutations run once each: ours on pl1, kubectl on its twin pl2, outputs compared.
    await ok(real(["create", "configmap", "pl1", "--from-literal=a=1"]));
    await ok(real(["create", "configmap", "pl2", "--from-literal=a=1"]));
    for (const args of [
      ["label", "cm", "NAME", "env=prod"],
      ["label", "cm", "NAME", "env=dev"],
      ["label", "cm", "NAME", "env=dev", "--overwrite"],
      ["label", "cm", "NAME", "gone-"],
      ["annotate", "cm", "NAME", "note=hi"],
      ["patch", "cm", "NAME", "-p", '{"data":{"b":"2"}}'],
      ["patch", "cm", "NAME", "--type=merge", "-p", '{"data":{"b":"2"}}'],
      ["patch", "cm", "NAME", "--type=json", "-p", '[{"op":"replace","path":"/data/b","value":"3"}]'],
      ["label", "cm", "NAME", "env-"],
    ]) {
      const mine = await kk(args.map((a) => (a === "NAME" ? "pl1" : a)));
      const theirs = await real(args.map((a) => (a === "NAME" ? "pl2" : a)));
      expect({ args, out: mine.stdout, err: mine.stderr, code: mine.code }).toEqual({ args, out: theirs.stdout.replaceAll("pl2", "pl1"), err: theirs.stderr.replaceAll("pl2", "pl1"), code: theirs.code });
    }
    const cm = JSON.parse((await ok(real(["get", "cm", "pl1", "-o", "json"]))).stdout);
    expect([cm.data, cm.metadata.labels?.env, cm.metadata.annotations?.note]).toEqual([{ a: "1", b: "3" }, undefined, "hi"]);
    const edit = await node.exec([process.execPath, ...ENTRY, "--kubeconfig", node.kubeconfig, "edit", "cm", "pl1"], {
      env: { KUBE_EDITOR: "sed -i 's/^  a: .*/  a: edited/'" },
    });
    expect([edit.code, edit.stdout]).toEqual([0, "configmap/pl1 edited\n"]);
    expect((await ok(real(["get", "cm", "pl1", "-o", "jsonpath={.data.a}"]))).stdout).toBe("edited");
    const noop = await node.exec([process.execPath, ...ENTRY, "--kubeconfig", node.kubeconfig, "edit", "cm", "pl1"], { env: { KUBE_EDITOR: "true" } });
    expect(noop.stdout).toBe("Edit cancelled, no changes made.\n");
    await ok(real(["delete", "cm", "pl1", "pl2"]));
  });

  test("config view/current-context/get-contexts match kubectl; set-context changes the namespace used", async () => {
    for (const args of [["config", "view"], ["config", "view", "--raw"], ["config", "current-context"], ["config", "get-contexts"]]) await same(args);
    const copy = file("kc-copy.yaml", readFileSync(node.kubeconfig, "utf8"));
    const set = await ok(kk(["--kubeconfig", copy, "config", "set-context", "--current", "--namespace=kube-system"]));
    expect(set.stdout).toMatch(/^Context ".+" modified\.\n$/);
    const mine = await kk(["--kubeconfig", copy, "get", "pods"]);
    const theirs = await real(["--kubeconfig", copy, "get", "pods"]);
    expect(mine.stderr).toBe(theirs.stderr);
    expect(mine.stderr).toBe("No resources found in kube-system namespace.\n");
  });

  test("a missing kubeconfig or an unreachable server reads like kubectl", async () => {
    const missing = await kk(["--kubeconfig", "/nonexistent/config", "get", "pods"]);
    expect([missing.code, missing.stderr]).toEqual([1, "error: stat /nonexistent/config: no such file or directory\n"]);
    const bad = file("unreachable.yaml", readFileSync(node.kubeconfig, "utf8").replace(/server: https:\/\/[^\s]+/, "server: https://127.0.0.1:1"));
    const mine = await kk(["--kubeconfig", bad, "get", "pods"]);
    expect([mine.code, mine.stderr]).toEqual([1, "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"]);
  });

  test("scale and rollout restart/history/undo", async () => {
    await same(["scale", "deploy", "web", "--replicas=1"]);
    await ok(kk(["wait", "--for=jsonpath={.status.replicas}=1", "deploy/web", "--timeout=30s"]));
    expect((await ok(kk(["rollout", "restart", "deploy/web"]))).stdout).toBe("deployment.apps/web restarted\n");
    const dep = JSON.parse((await ok(real(["get", "deploy", "web", "-o", "json"]))).stdout);
    expect(dep.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await ok(kk(["rollout", "status", "deploy/web", "--timeout=60s"], { timeoutMs: 70_000 }));
    await same(["rollout", "history", "deploy/web"]);
    expect((await ok(kk(["rollout", "undo", "deploy/web"]))).stdout).toBe("deployment.apps/web rolled back\n");
    await waitFor(
      "rollback",
      async () => !JSON.parse((await real(["get", "deploy", "web", "-o", "json"])).stdout).spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"],
      15_000,
    );
    await same(["rollout", "undo", "deploy/web", "--to-revision=99"]);
  });

  test("logs: whole, --tail, --timestamps, -f until the container exits", async () => {
    await ok(
      kk(["apply", "-f", "-"], {
        stdin: `apiVersion: v1\nkind: Pod\nmetadata: {name: logger}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: ${IMAGE}\n    command: ["sh", "-c", "for i in 1 2 3; do echo line $i; done; echo oops >&2"]\n`,
      }),
    );
    await ok(kk(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/logger", "--timeout=30s"]));
    const all = await same(["logs", "logger"]);
    expect(all.stdout).toBe("line 1\nline 2\nline 3\noops\n");
    await same(["logs", "logger", "--tail=1"]);
    await same(["logs", "pod/logger", "-f"]);
    expect((await ok(kk(["logs", "logger", "--timestamps", "--tail=1"]))).stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z oops\n$/);
    await same(["logs", "logger", "-c", "nope"]);
  });

  test("exec: output, stderr, exit codes, stdin", async () => {
    const pod = JSON.parse((await ok(real(["get", "pods", "-l", "app=web", "-o", "json"]))).stdout).items.find((p: any) => p.status.phase === "Running").metadata.name;
    const r = await kk(["exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect([r.code, r.stdout]).toEqual([3, "out\n"]);
    expect(r.stderr).toBe("err\ncommand terminated with exit code 3\n");
    const i = await ok(kk(["exec", "-i", `deploy/web`, "--", "sh", "-c", "cat; echo done"], { stdin: "from stdin\n" }));
    expect(i.stdout).toBe("from stdin\ndone\n");
    await same(["exec", pod, "--", "cat", "/www/index.html"]);
  });

  test("exec -it on a terminal: a remote tty and a raw local one (no doubled carriage returns)", async () => {
    const pod = JSON.parse((await ok(real(["get", "pods", "-l", "app=web", "-o", "json"]))).stdout).items.find((p: any) => p.status.phase === "Running").metadata.name;
    const cmd = [process.execPath, ...ENTRY, "--kubeconfig", node.kubeconfig, "exec", "-it", pod, "--", "sh", "-c", "echo one; echo two; exit 4"].map((a) => `'${a}'`).join(" ");
    // script(1) gives the command a pseudo-terminal as its stdin and stdout.
    const r = await node.exec(["script", "-qec", cmd, "/dev/null"], { stdin: "", timeoutMs: 30_000 });
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("one\r\n");
    expect(r.stdout).toContain("two\r\n");
    expect(r.stdout).not.toContain("\r\r\n");
    expect(r.stdout).toContain("command terminated with exit code 4");
  });

  test("port-forward forwards local connections to the pod", async () => {
    const p = spawn([process.execPath, ...ENTRY, "--kubeconfig", node.hostKubeconfig, "port-forward", "deploy/web", ":http"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, HOME: dir } });
    try {
      let out = "";
      void (async () => {
        for await (const c of p.stdout as unknown as AsyncIterable<Uint8Array>) out += new TextDecoder().decode(c);
      })();
      await waitFor("forwarding", () => /Forwarding from 127\.0\.0\.1:\d+ -> 8080/.test(out), 15_000, () => out);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/index.html`);
        expect(await res.text()).toBe("hello-web\n");
      }
      expect(out).toContain(`Handling connection for ${port}`);
    } finally {
      p.kill();
      await p.exited;
    }
  });

  test("cp copies a directory into a container and back", async () => {
    const pod = JSON.parse((await ok(real(["get", "pods", "-l", "app=web", "-o", "json"]))).stdout).items.find((p: any) => p.status.phase === "Running").metadata.name;
    const local = mkdtempSync(join(tmpdir(), "kubectl-cp-"));
    try {
      mkdirSync(join(local, "src", "sub"), { recursive: true });
      writeFileSync(join(local, "src", "a.txt"), "alpha\n");
      writeFileSync(join(local, "src", "sub", "b.txt"), "beta\n");
      await ok(kk(["cp", join(local, "src"), `${pod}:/tmp/copied`]));
      expect((await ok(real(["exec", pod, "--", "cat", "/tmp/copied/sub/b.txt"]))).stdout).toBe("beta\n");
      await ok(kk(["cp", `default/${pod}:/tmp/copied`, join(local, "back")]));
      expect(readFileSync(join(local, "back", "a.txt"), "utf8")).toBe("alpha\n");
      expect(readFileSync(join(local, "back", "sub", "b.txt"), "utf8")).toBe("beta\n");
      const missing = await kk(["cp", `${pod}:/nope`, join(local, "x")]);
      expect(missing.code).toBe(1);
      expect(existsSync(join(local, "x"))).toBe(false);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });

  test("top node and top pod read metrics.k8s.io", async () => {
    await waitFor("pod metrics", async () => (await kk(["top", "pod"])).stdout.includes("web-"), 30_000);
    const n = await ok(kk(["top", "node"]));
    const rn = await ok(real(["top", "node"]));
    expect(n.stdout.split("\n")[0]).toBe(rn.stdout.split("\n")[0]);
    expect(n.stdout.split("\n")[1]).toMatch(/^node-\S+ +\d+m +\d+% +\d+Mi +\d+% +$/);
    const p = await ok(kk(["top", "pod", "-l", "app=web"]));
    expect(p.stdout.split("\n")[0]).toBe((await ok(real(["top", "pod", "-l", "app=web"]))).stdout.split("\n")[0]);
    expect(p.stdout.split("\n")[1]).toMatch(/^web-\S+ +\d+m +\d+Mi +$/);
  });

  test("delete: names, -f, -l, --all, errors — and it waits for the objects to go", async () => {
    await same(["delete", "cm", "cm3"]);
    await same(["delete", "pod", "nope"]);
    await same(["delete", "cm", "nope", "--ignore-not-found"]);
    const d = await ok(kk(["delete", "-f", join(dir, "app")]));
    expect(d.stdout).toBe('deployment.apps "web" deleted\nservice "web" deleted\nconfigmap "cm1" deleted\n');
    expect((await real(["get", "deploy", "web"])).code).toBe(1);
    await ok(real(["create", "configmap", "l1", "--from-literal=a=b"]));
    await ok(real(["label", "configmap", "l1", "del=me"]));
    expect((await ok(kk(["delete", "cm", "-l", "del=me"]))).stdout).toBe('configmap "l1" deleted\n');
    const pod = await ok(kk(["delete", "pod", "logger"]));
    expect(pod.stdout).toBe('pod "logger" deleted\n');
    expect((await real(["get", "pod", "logger"])).code).toBe(1);
    await ok(kk(["delete", "cm", "--all"]));
    expect((await ok(real(["get", "cm", "-o", "name"]))).stdout).toBe("configmap/kube-root-ca.crt\n");
  });
  test("create generators build what kubectl builds", async () => {
    const envFile = file("gen.env", "A=1\n# comment\nB=two\n");
    const gens: string[][] = [
      ["create", "namespace", "NAME"],
      ["create", "configmap", "NAME", "--from-literal=a=1", "--from-literal=b=two"],
      ["create", "secret", "generic", "NAME", `--from-env-file=${envFile}`],
      ["create", "deployment", "NAME", `--image=${IMAGE}`, "--replicas=2", "--port=8080", "--", "sleep", "3600"],
      ["create", "serviceaccount", "NAME"],
      ["create", "job", "NAME", `--image=${IMAGE}`, "--", "echo", "hi"],
    ];
    const strip = (o: any) => {
      const { uid, resourceVersion, creationTimestamp, generation, managedFields, ...meta } = o.metadata;
      void [uid, resourceVersion, creationTimestamp, generation, managedFields];
      const labels = meta.labels && Object.fromEntries(Object.entries(meta.labels).filter(([k]) => !k.includes("controller-uid") && k !== "job-name"));
      return JSON.parse(JSON.stringify({ ...o, metadata: { ...meta, labels }, status: undefined, spec: o.spec && { ...o.spec, selector: o.kind === "Job" ? undefined : o.spec.selector, template: o.spec.template && { ...o.spec.template, metadata: o.kind === "Job" ? undefined : o.spec.template.metadata } } }).replaceAll("gen2", "gen1"));
    };
    for (const g of gens) {
      const mine = await ok(kk(g.map((a) => (a === "NAME" ? "gen1" : a))));
      const theirs = await ok(real(g.map((a) => (a === "NAME" ? "gen2" : a))));
      expect(mine.stdout).toBe(theirs.stdout.replaceAll("gen2", "gen1"));
      const type = g[1] === "secret" ? "secret" : g[1]!;
      const a = JSON.parse((await ok(real(["get", type, "gen1", "-o", "json"]))).stdout);
      const b = JSON.parse((await ok(real(["get", type, "gen2", "-o", "json"]))).stdout);
      expect(strip(a)).toEqual(strip(b));
    }
    await ok(real(["delete", "deploy/gen1", "deploy/gen2", "job/gen1", "job/gen2", "ns/gen1", "ns/gen2", "--grace-period=1"]), "cleanup");
  });

  // Drain also evicts what earlier tests left terminating (up to their 30 s grace period).
  test("rollout pause/resume, cordon/uncordon and drain", async () => {
    // The container exits on SIGTERM so evictions finish quickly.
    await ok(kk(["create", "deployment", "dr", `--image=${IMAGE}`, "--", "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.2; done"]));
    await ok(kk(["rollout", "status", "deploy/dr", "--timeout=60s"], { timeoutMs: 70_000 }));
    expect((await ok(kk(["rollout", "pause", "deploy/dr"]))).stdout).toBe("deployment.apps/dr paused\n");
    const again = await kk(["rollout", "pause", "deploy/dr"]);
    expect([again.code, again.stderr]).toEqual([1, "error: deployment.apps/dr is already paused\n"]);
    expect((await ok(kk(["rollout", "resume", "deploy/dr"]))).stdout).toBe("deployment.apps/dr resumed\n");
    const nodeName = (await ok(real(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]))).stdout;
    const c1 = await ok(kk(["cordon", nodeName]));
    const c2 = await ok(real(["cordon", nodeName]));
    expect([c1.stdout, c2.stdout]).toEqual([`node/${nodeName} cordoned\n`, `node/${nodeName} already cordoned\n`]);
    await ok(kk(["uncordon", nodeName]));
    const d = await ok(kk(["drain", nodeName, "--ignore-daemonsets", "--force", "--delete-emptydir-data", "--grace-period=1", "--timeout=120s"], { timeoutMs: 130_000 }));
    expect(d.stdout).toMatch(/^node\/\S+ cordoned\n/);
    expect(d.stdout).toMatch(/evicting pod default\/dr-\S+\n/);
    expect(d.stdout).toMatch(/pod\/dr-\S+ evicted\n/);
    expect(d.stdout.endsWith(`node/${nodeName} drained\n`)).toBe(true);
    expect(JSON.parse((await ok(real(["get", "node", nodeName, "-o", "json"]))).stdout).spec.unschedulable).toBe(true);
    expect((await ok(kk(["uncordon", nodeName]))).stdout).toBe(`node/${nodeName} uncordoned\n`);
    await ok(real(["delete", "deploy/dr", "--grace-period=1"]));
  }, 150_000);
});
