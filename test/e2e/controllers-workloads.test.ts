// The real kubectl 1.33 against a node without its kubelet: Jobs and StatefulSets driven by the
// workload controllers, with the test playing kubelet through pods/status.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startNode, type TestNode } from "../harness/node.ts";

setDefaultTimeout(90_000);

const statefulSet = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 2
  serviceName: web
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: ["httpd", "-f"]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

describe("workload controllers through kubectl 1.33", () => {
  let node: TestNode;
  const k = (args: string[], o?: { stdin?: string }) => node.kubectl("1.33", args, o);
  const ok = async (args: string[], o?: { stdin?: string }) => {
    const r = await k(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  /** Polls a kubectl output until `pred` holds (bounded). */
  const until = async (args: string[], pred: (out: string) => boolean, what: string, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < end) {
      const r = await k(args);
      last = r.stdout + r.stderr;
      if (r.code === 0 && pred(r.stdout)) return r.stdout;
      await Bun.sleep(200);
    }
    throw new Error(`timed out waiting for ${what}; last output:\n${last}`);
  };
  const setStatus = (pod: string, status: Record<string, unknown>) => ok(["patch", "pod", pod, "--subresource=status", "-p", JSON.stringify({ status })]);
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

  beforeAll(async () => {
    node = await startNode({ args: ["--disable", "agent"] });
  }, 60_000);
  afterAll(async () => {
    await node?.stop();
  }, 60_000);

  test("kubectl create job → pod → Complete", async () => {
    await ok(["create", "job", "hello", "--image=busybox:1.36", "--", "true"]);
    const pod = (await until(["get", "pods", "-l", "batch.kubernetes.io/job-name=hello", "-o", "name"], (o) => o.trim().length > 0, "job pod")).trim().split("\n")[0]!.replace("pod/", "");
    const running = await ok(["get", "job", "hello"]);
    expect(running).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m);
    expect(running).toMatch(/^hello\s+Running\s+0\/1\s/m);
    const finalizers = await ok(["get", "pod", pod, "-o", "jsonpath={.metadata.finalizers}"]);
    expect(finalizers).toContain("batch.kubernetes.io/job-tracking");
    await setStatus(pod, { phase: "Succeeded", conditions: [{ type: "Ready", status: "False", lastTransitionTime: now() }] });
    await ok(["wait", "--for=condition=complete", "job/hello", "--timeout=30s"]);
    const done = await ok(["get", "job", "hello"]);
    expect(done).toMatch(/^hello\s+Complete\s+1\/1\s/m);
    const desc = await ok(["describe", "job", "hello"]);
    expect(desc).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
    expect(desc).toMatch(/SuccessfulCreate\s+.*Created pod: hello-/);
    expect(desc).toMatch(/Completed\s+.*Job completed/);
  });

  test("kubectl delete job: the garbage collector and the job controller leave no pod behind", async () => {
    await ok(["create", "job", "busy", "--image=busybox:1.36", "--", "sleep", "1000"]);
    await until(["get", "pods", "-l", "batch.kubernetes.io/job-name=busy", "-o", "name"], (o) => o.trim().length > 0, "busy pod");
    await ok(["delete", "job", "busy", "--wait=false"]);
    // The running pod carried the tracking finalizer; it must still go away.
    await until(["get", "pods", "-l", "batch.kubernetes.io/job-name=busy", "-o", "name"], (o) => o.trim() === "", "pods gone");
  });

  test("kubectl apply statefulset → ordered pods, claims, READY 2/2", async () => {
    await ok(["apply", "-f", "-"], { stdin: statefulSet });
    for (const i of [0, 1]) {
      await until(["get", "pod", `web-${i}`, "-o", "name"], (o) => o.includes(`web-${i}`), `web-${i}`);
      if (i === 0) expect((await k(["get", "pod", "web-1"])).code).not.toBe(0);
      await setStatus(`web-${i}`, { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now() }] });
    }
    const out = await until(["get", "statefulset", "web"], (o) => /^web\s+2\/2\s/m.test(o), "READY 2/2");
    expect(out).toMatch(/^NAME\s+READY\s+AGE$/m);
    const pvcs = await ok(["get", "pvc", "-o", "name"]);
    expect(pvcs.trim().split("\n").sort()).toEqual(["persistentvolumeclaim/data-web-0", "persistentvolumeclaim/data-web-1"]);
    const hostname = await ok(["get", "pod", "web-1", "-o", "jsonpath={.spec.hostname}/{.spec.subdomain}/{.metadata.labels.apps\\.kubernetes\\.io/pod-index}"]);
    expect(hostname).toBe("web-1/web/1");
    const rs = await ok(["rollout", "status", "statefulset/web", "--timeout=20s"]);
    expect(rs).toContain("partitioned roll out complete: 2 new pods have been updated...");
    // A template change rolls pods from the highest ordinal; history shows both revisions; undo goes back.
    const readyAll = async () => {
      const names = (await ok(["get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase}{'\\n'}{end}"])).trim().split("\n").filter(Boolean);
      for (const line of names) {
        const [n, phase] = line.split("=");
        if (phase !== "Running") await setStatus(n!, { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now() }] }).catch(() => {});
      }
    };
    const rolled = async (image: string) => {
      const end = Date.now() + 30_000;
      while (Date.now() < end) {
        await readyAll();
        const imgs = (await ok(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"])).trim().split(/\s+/);
        const st = await ok(["get", "statefulset", "web", "-o", "jsonpath={.status.updatedReplicas}/{.status.readyReplicas}/{.status.currentRevision}/{.status.updateRevision}"]);
        const [u, r, cur, upd] = st.split("/");
        if (imgs.length === 2 && imgs.every((i) => i === image) && u === "2" && r === "2" && cur === upd) return;
        await Bun.sleep(200);
      }
      throw new Error(`statefulset did not roll to ${image}`);
    };
    await ok(["set", "image", "statefulset/web", "main=busybox:1.37"]);
    await rolled("busybox:1.37");
    const hist = await ok(["rollout", "history", "statefulset/web"]);
    expect(hist).toMatch(/^1\s/m);
    expect(hist).toMatch(/^2\s/m);
    await ok(["rollout", "undo", "statefulset/web"]);
    await rolled("busybox:1.36");
    const hist2 = await ok(["rollout", "history", "statefulset/web"]);
    expect(hist2).toMatch(/^2\s/m);
    expect(hist2).toMatch(/^3\s/m);
    expect(hist2).not.toMatch(/^1\s/m);
    await ok(["scale", "statefulset", "web", "--replicas=1"]);
    await until(["get", "pods", "-l", "app=web", "-o", "name"], (o) => o.trim() === "pod/web-0", "scaled to 1");
    expect((await ok(["get", "pvc", "-o", "name"])).trim().split("\n")).toHaveLength(2);
  });
});
