// An HPA scales a Deployment on real CPU metrics: kubelet cgroup stats → metrics.k8s.io → HPA.
import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";
import { startNode, waitFor } from "../harness/node.ts";
setDefaultTimeout(150_000);

test("kubectl top shows the busy pod and the HPA scales its Deployment up", async () => {
  const node = await startNode({
    async prepare(dataDir) {
      const dir = join(dataDir, "agent", "images");
      mkdirSync(dir, { recursive: true });
      await buildBusyboxImage({ dir, format: "oci", name: "docker.io/library/busybox:test" });
    },
  });
  try {
    const f = join(node.dir, "burn.yaml");
    writeFileSync(
      f,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: burn}
spec:
  replicas: 1
  selector: {matchLabels: {app: burn}}
  template:
    metadata: {labels: {app: burn}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: c
        image: busybox:test
        command: ["sh", "-c", "while true; do :; done"]
        resources: {requests: {cpu: 50m}, limits: {cpu: 200m}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: burn}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burn}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`,
    );
    const k = (args: string[]) => node.kubectl("1.33", args);
    expect((await k(["apply", "-f", f])).code).toBe(0);
    await waitFor("the pod to run", async () => (await k(["get", "pods", "-l", "app=burn", "-o", "jsonpath={.items[*].status.phase}"])).stdout.includes("Running"), 60_000);
    await waitFor("kubectl top pod to print numbers", async () => /burn-\S+\s+\d+m\s+\d+Mi/.test((await k(["top", "pod", "-l", "app=burn"])).stdout), 60_000);
    await waitFor("the HPA to scale up", async () => Number((await k(["get", "hpa", "burn", "-o", "jsonpath={.status.desiredReplicas}"])).stdout || 0) > 1, 90_000, () => node.logs().split("\n").filter((l) => /podautoscaler|hpa/i.test(l)).slice(-10).join("\n"));
    const events = (await k(["get", "events", "--field-selector", "involvedObject.name=burn,reason=SuccessfulRescale", "-o", "jsonpath={.items[*].message}"])).stdout;
    expect(events).toMatch(/New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/);
  } finally {
    await node.stop();
  }
});
