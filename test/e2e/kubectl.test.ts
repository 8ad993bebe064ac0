// The real kubectl 1.27, 1.30 and 1.33 against a node in the sandbox: the verbs users type.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNode, type KubectlVersion, type TestNode } from "../harness/node.ts";

const VERSIONS: KubectlVersion[] = ["1.27", "1.30", "1.33"];
setDefaultTimeout(90_000);

const deployment = (name: string, image = "busybox:1.36", replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}, tier: web}
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
        image: ${image}
        command: ["httpd", "-f"]
        ports:
        - containerPort: 80
          name: http
        env:
        - name: A
          value: "1"
`;

for (const v of VERSIONS) {
  describe(`kubectl ${v}`, () => {
    let node: TestNode;
    const k = (args: string[], o?: { stdin?: string; env?: Record<string, string> }) => node.kubectl(v, args, o);
    const ok = async (args: string[], o?: { stdin?: string; env?: Record<string, string> }) => {
      const r = await k(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
      return r;
    };
    const file = (name: string, text: string) => {
      const p = join(node.dir, name);
      writeFileSync(p, text);
      return p;
    };

    beforeAll(async () => {
      node = await startNode({ args: ["--disable", "agent"] });
    }, 60_000);
    afterAll(async () => {
      await node?.stop();
    }, 60_000);

    test("discovery: api-resources, api-versions, explain", async () => {
      const ar = await ok(["api-resources"]);
      expect(ar.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(ar.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(ar.stdout).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      const av = await ok(["api-versions"]);
      expect(av.stdout).toContain("apps/v1\n");
      expect(av.stdout).toContain("batch/v1\n");
      const ex = await ok(["explain", "pod.spec.containers"]);
      expect(ex.stdout).toContain("FIELDS:");
      expect(ex.stdout).toMatch(/image\s*<string>/);
      expect(ar.stderr + av.stderr + ex.stderr).toBe("");
    });

    test("create -f, get in every output format, describe", async () => {
      const cm = file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels: {team: a}\ndata:\n  color: blue\n");
      expect((await ok(["create", "-f", cm])).stdout.trim()).toBe("configmap/settings created");
      const dup = await k(["create", "-f", cm]);
      expect(dup.code).not.toBe(0);
      expect(dup.stderr).toContain(`Error from server (AlreadyExists): error when creating "${cm}": configmaps "settings" already exists`);
      const table = await ok(["get", "configmaps"]);
      expect(table.stdout).toMatch(/^NAME\s+DATA\s+AGE\n/);
      expect(table.stdout).toMatch(/^settings\s+1\s+\d+s$/m);
      const y = await ok(["get", "cm", "settings", "-o", "yaml"]);
      expect(y.stdout).toContain("color: blue");
      expect(y.stdout).toMatch(/resourceVersion: "\d+"/);
      expect(y.stdout).toMatch(/uid: [0-9a-f-]{36}/);
      const j = JSON.parse((await ok(["get", "cm", "settings", "-o", "json"])).stdout);
      expect(j.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect((await ok(["get", "cm", "settings", "-o", "name"])).stdout.trim()).toBe("configmap/settings");
      expect((await ok(["get", "cm", "settings", "-o", "jsonpath={.data.color}"])).stdout).toBe("blue");
      const cc = await ok(["get", "cm", "-l", "team", "-o", "custom-columns=N:.metadata.name,C:.data.color"]);
      expect(cc.stdout).toMatch(/^N\s+C\nsettings\s+blue\n/);
      const d = await ok(["describe", "configmap", "settings"]);
      expect(d.stdout).toMatch(/^Name:\s+settings$/m);
      expect(d.stdout).toMatch(/^Labels:\s+team=a$/m);
    });

    test("apply creates, re-apply is unchanged, no warnings; get -o wide, -l, --field-selector, -A, --sort-by, --chunk-size", async () => {
      const f = file("web.yaml", deployment("web"));
      const a1 = await ok(["apply", "-f", f]);
      expect(a1.stdout.trim()).toBe("deployment.apps/web created");
      expect(a1.stderr).toBe("");
      const a2 = await ok(["apply", "-f", f]);
      expect(a2.stdout.trim()).toBe("deployment.apps/web unchanged");
      expect(a2.stderr).toBe("");
      const a3 = await ok(["apply", "-f", file("web2.yaml", deployment("web", "busybox:1.37"))]);
      expect(a3.stdout.trim()).toBe("deployment.apps/web configured");
      const img = await ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}"]);
      expect(img.stdout).toBe("busybox:1.37 2");
      const wide = await ok(["get", "deployments", "-o", "wide"]);
      expect(wide.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
      expect(wide.stdout).toMatch(/^web\s+\d\/2\s+\d+\s+\d+\s+\S+\s+main\s+busybox:1.37\s+app=web$/m);
      await ok(["create", "namespace", "other"]);
      await ok(["create", "-n", "other", "-f", file("cm2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zeta\n  labels: {team: b}\n")]);
      await ok(["create", "-f", file("cm3.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alpha\n  labels: {team: b}\n")]);
      const byLabel = await ok(["get", "cm", "-A", "-l", "team=b", "-o", "name"]);
      expect(byLabel.stdout.split("\n").filter(Boolean).sort()).toEqual(["configmap/alpha", "configmap/zeta"]);
      const setSel = await ok(["get", "cm", "-l", "team in (a,c)", "-o", "name"]);
      expect(setSel.stdout.trim()).toBe("configmap/settings");
      const fs = await ok(["get", "cm", "-A", "-l", "team", "--field-selector", "metadata.namespace=other", "-o", "name"]);
      expect(fs.stdout.trim()).toBe("configmap/zeta");
      const all = await ok(["get", "cm", "-A"]);
      expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
      expect(all.stdout).toMatch(/^other\s+zeta\s+0\s+/m);
      const sorted = await ok(["get", "cm", "-l", "team", "--sort-by=.metadata.name", "-o", "name"]);
      expect(sorted.stdout).toBe("configmap/alpha\nconfigmap/settings\n");
      const chunked = await ok(["get", "cm", "-A", "--chunk-size=1", "-o", "name", "-v=6"]);
      expect(chunked.stdout).toBe((await ok(["get", "cm", "-A", "-o", "name"])).stdout);
      expect(chunked.stdout.split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(3);
      expect(chunked.stderr).toMatch(/continue=/);
      const bad = await k(["get", "pods", "--field-selector", "spec.bogus=x"]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("field label not supported: spec.bogus");
    });

    test("replace with a stale resourceVersion conflicts; edit; patch; label; annotate", async () => {
      const cur = JSON.parse((await ok(["get", "cm", "settings", "-o", "json"])).stdout);
      await ok(["label", "cm", "settings", "stage=1"]);
      const stale = file("stale.json", JSON.stringify({ ...cur, data: { color: "red" } }));
      const r = await k(["replace", "-f", stale]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("the object has been modified; please apply your changes to the latest version and try again");
      const editor = file("editor.sh", "#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
      await ok(["annotate", "cm", "settings", "note=hi"]);
      await Bun.spawn(["chmod", "+x", editor]).exited;
      const e = await ok(["edit", "cm", "settings"], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
      expect(e.stdout.trim()).toBe("configmap/settings edited");
      await ok(["patch", "cm", "settings", "--type=merge", "-p", '{"data":{"size":"L"}}']);
      await ok(["patch", "cm", "settings", "--type=json", "-p", '[{"op":"replace","path":"/data/size","value":"XL"}]']);
      await ok(["patch", "deploy", "web", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}}}']);
      const env = JSON.parse((await ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env}"])).stdout);
      expect(env).toEqual([{ name: "B", value: "2" }, { name: "A", value: "1" }]);
      const got = JSON.parse((await ok(["get", "cm", "settings", "-o", "json"])).stdout);
      expect(got.data).toEqual({ color: "green", size: "XL" });
      expect(got.metadata.labels).toEqual({ team: "a", stage: "1" });
      expect(got.metadata.annotations.note).toBe("hi");
      await ok(["label", "cm", "settings", "stage-"]);
      expect((await ok(["get", "cm", "settings", "-o", "jsonpath={.metadata.labels}"])).stdout).toBe('{"team":"a"}');
      const badPatch = await k(["patch", "cm", "settings", "--type=json", "-p", '[{"op":"bogus"}]']);
      expect(badPatch.code).not.toBe(0);
    });

    test("server-side apply conflicts and --force-conflicts; diff; --dry-run=server", async () => {
      const f = file("ssa.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: one\n");
      expect((await ok(["apply", "--server-side", "-f", f])).stdout.trim()).toBe("configmap/ssa serverside-applied");
      const g = file("ssa2.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: two\n");
      const c = await k(["apply", "--server-side", "--field-manager=other", "-f", g]);
      expect(c.code).not.toBe(0);
      expect(c.stderr).toContain("conflict");
      expect(c.stderr).toContain('.data.k');
      await ok(["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", g]);
      expect((await ok(["get", "cm", "ssa", "-o", "jsonpath={.data.k}"])).stdout).toBe("two");
      const diff = await k(["diff", "-f", f]);
      expect(diff.code).toBe(1); // 1 = differences found
      expect(diff.stdout).toContain("-  k: two");
      expect(diff.stdout).toContain("+  k: one");
      const dry = await ok(["create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "name"]);
      expect(dry.stdout.trim()).toBe("configmap/dry");
      expect((await k(["get", "cm", "dry"])).code).not.toBe(0);
    });

    test("watch: get -w sees a new object", async () => {
      const p = Bun.spawn(
        ["nsenter", `--net=/run/netns/${node.netns}`, "--", `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`, "--kubeconfig", node.kubeconfig, "get", "cm", "-w", "--request-timeout=20s"],
        { stdout: "pipe", stderr: "pipe", env: { ...process.env, HOME: join(node.dir, "home") } },
      );
      try {
        const reader = p.stdout.getReader();
        let out = "";
        const dec = new TextDecoder();
        const until = async (re: RegExp) => {
          const end = Date.now() + 15_000;
          while (!re.test(out) && Date.now() < end) {
            const { value, done } = await Promise.race([reader.read(), Bun.sleep(1000).then(() => ({ value: undefined, done: false }))]);
            if (done) break;
            if (value) out += dec.decode(value);
          }
          return re.test(out);
        };
        expect(await until(/^settings\s+2\s+/m)).toBe(true);
        await ok(["create", "configmap", "watched", "--from-literal=x=y"]);
        expect(await until(/^watched\s+1\s+/m)).toBe(true);
      } finally {
        p.kill();
        await p.exited;
      }
    });

    test("wait --for=condition and --for=delete; delete with propagation policies", async () => {
      // A pod no scheduler or kubelet manages: its conditions are only what we write.
      await ok(["create", "-f", file("waitpod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: waiter\nspec:\n  schedulerName: manual\n  containers:\n  - name: c\n    image: busybox\n")]);
      const waiting = k(["wait", "--for=condition=Ready", "pod/waiter", "--timeout=20s"]);
      await Bun.sleep(300);
      await ok(["patch", "pod", "waiter", "--subresource=status", "--type=merge", "-p", '{"status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}']);
      const w = await waiting;
      expect(w.code).toBe(0);
      expect(w.stdout.trim()).toBe("pod/waiter condition met");
      for (const policy of ["background", "foreground", "orphan"]) {
        await ok(["create", "configmap", `del-${policy}`]);
        const d = await ok(["delete", "configmap", `del-${policy}`, `--cascade=${policy}`, "--wait"]);
        expect(d.stdout.trim()).toBe(`configmap "del-${policy}" deleted`);
        expect((await k(["get", "cm", `del-${policy}`])).code).not.toBe(0);
      }
      await ok(["create", "configmap", "gone-soon"]);
      const waiter = k(["wait", "--for=delete", "configmap/gone-soon", "--timeout=15s"]);
      await Bun.sleep(300);
      await ok(["delete", "configmap", "gone-soon"]);
      const wr = await waiter;
      expect(wr.code).toBe(0);
      const nf = await k(["delete", "configmap", "never-was"]);
      expect(nf.stderr).toContain('Error from server (NotFound): configmaps "never-was" not found');
    });

    test("get all, auth whoami, auth can-i", async () => {
      const all = await ok(["get", "all"]);
      expect(all.stdout).toContain("service/kubernetes");
      expect(all.stdout).toContain("deployment.apps/web");
      const who = await k(["auth", "whoami"]);
      if (v !== "1.27") {
        expect(who.code).toBe(0);
        expect(who.stdout).toMatch(/Username\s+system:admin/);
        expect(who.stdout).toContain("system:masters");
      }
      expect((await ok(["auth", "can-i", "create", "pods"])).stdout.trim()).toBe("yes");
    });

    if (v === "1.33") {
      test("create generators send protobuf and work", async () => {
        const cmds: Array<[string[], string]> = [
          [["create", "namespace", "gen"], "namespace/gen created"],
          [["create", "configmap", "gen-cm", "-n", "gen", "--from-literal=a=1"], "configmap/gen-cm created"],
          [["create", "secret", "generic", "gen-s", "-n", "gen", "--from-literal=p=s3cr3t"], "secret/gen-s created"],
          [["create", "deployment", "gen-d", "-n", "gen", "--image=busybox", "--replicas=3", "--port=80"], "deployment.apps/gen-d created"],
          [["create", "service", "clusterip", "gen-svc", "-n", "gen", "--tcp=80:8080"], "service/gen-svc created"],
          [["create", "job", "gen-j", "-n", "gen", "--image=busybox", "--", "true"], "job.batch/gen-j created"],
          [["create", "role", "gen-r", "-n", "gen", "--verb=get", "--resource=pods"], "role.rbac.authorization.k8s.io/gen-r created"],
        ];
        for (const [args, want] of cmds) expect((await ok(args)).stdout.trim()).toBe(want);
        expect((await ok(["get", "secret", "gen-s", "-n", "gen", "-o", "jsonpath={.data.p}"])).stdout).toBe(Buffer.from("s3cr3t").toString("base64"));
        expect((await ok(["get", "deploy", "gen-d", "-n", "gen", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort}"])).stdout).toBe("3 80");
        expect((await ok(["get", "svc", "gen-svc", "-n", "gen", "-o", "jsonpath={.spec.clusterIP}"])).stdout).toMatch(/^10\.43\.\d+\.\d+$/);
      });
    }
  });
}
