// The scheduler seen through the real kubectl 1.33: a node without its agent, simulated nodes
// created through the API, and `kubectl describe pod` showing upstream's FailedScheduling text.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNode, type TestNode } from "../harness/node.ts";
import { createHttpClient } from "../../pkg/client/http.ts";
import { startSimNodes, type SimNodes } from "../fixtures/simnodes.ts";

setDefaultTimeout(60_000);

let node: TestNode;
let sims: SimNodes | undefined;

beforeAll(async () => {
  node = await startNode({ args: ["--disable", "agent"] });
  const client = createHttpClient({ kubeconfig: node.hostKubeconfig });
  sims = await startSimNodes(client, [
    { name: "sim-a", cpu: "2", memory: "4Gi", labels: { "topology.kubernetes.io/zone": "a" } },
    { name: "sim-b", cpu: "2", memory: "4Gi", labels: { "topology.kubernetes.io/zone": "b" }, taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] },
  ]);
}, 60_000);

afterAll(async () => {
  await sims?.stop();
  await node?.stop();
}, 60_000);

const ok = async (args: string[], stdin?: string) => {
  const r = await node.kubectl("1.33", args, { stdin });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
};

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await Bun.sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

describe("scheduler with kubectl 1.33", () => {
  test("a schedulable pod is assigned and Running on a simulated node; describe shows Scheduled", async () => {
    await ok(["run", "web", "--image=busybox:1.36", "--restart=Never", "--", "sleep", "3600"]);
    const line = await until("web Running", async () => {
      const out = await ok(["get", "pod", "web", "-o", "wide", "--no-headers"]);
      return /\bRunning\b/.test(out) ? out : undefined;
    });
    // sim-b is tainted: the pod lands on sim-a.
    expect(line).toMatch(/\bsim-a\b/);
    const d = await ok(["describe", "pod", "web"]);
    expect(d).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/web to sim-a/);
  });

  test("describe pod shows FailedScheduling with upstream's message for an over-large request", async () => {
    const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: main
    image: busybox:1.36
    resources:
      requests:
        cpu: "8"
`;
    const f = join(node.dir, "huge.yaml");
    writeFileSync(f, manifest);
    await ok(["apply", "-f", f]);
    const d = await until("FailedScheduling in describe", async () => {
      const out = await ok(["describe", "pod", "huge"]);
      return out.includes("FailedScheduling") ? out : undefined;
    });
    expect(d).toMatch(/Status:\s+Pending/);
    expect(d).toMatch(/PodScheduled\s+False/);
    expect(d).toMatch(
      /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{dedicated: db\}\. preemption: 0\/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling\./,
    );
    const get = await ok(["get", "pod", "huge", "--no-headers"]);
    expect(get).toMatch(/^huge\s+0\/1\s+Pending\s+0\s+/);
  });
});
