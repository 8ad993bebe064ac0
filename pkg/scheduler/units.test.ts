// Pure parts: request arithmetic, the FitError message, the queue's order and back-off.
import { afterEach, describe, expect, test } from "bun:test";
import { podNonZeroRequests, podRequests } from "./resources.ts";
import { fitErrorMessage } from "./framework.ts";
import { SchedulingQueue } from "./queue.ts";
import { normalizedImage } from "./plugins/scores.ts";
import { tolerates } from "./plugins/helpers.ts";
import type { Pod } from "./types.ts";

const pod = (name: string, spec: Partial<Pod["spec"]> = {}): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: name }, spec: { containers: [], ...spec } });
const req = (cpu?: string, memory?: string) => ({ name: "c", resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } });

describe("pod requests", () => {
  test("containers add up; init containers by max; sidecars add; overhead on top", () => {
    const p = pod("p", {
      containers: [req("250m", "64Mi"), req("250m")],
      initContainers: [{ ...req("100m"), restartPolicy: "Always" }, req("2")],
      overhead: { cpu: "50m", memory: "1Mi" },
    });
    const r = podRequests(p);
    // max(500m + 100m sidecar, 100m sidecar + 2000m init) + 50m overhead
    expect(r.get("cpu")).toBe(2150);
    expect(r.get("memory")).toBe(65 * 1024 * 1024);
  });
  test("limits stand in for missing requests; non-zero defaults only for scoring", () => {
    const p = pod("p", { containers: [{ name: "c", resources: { limits: { cpu: "1", "example.com/gpu": "2" } } }, { name: "d" }] });
    expect(podRequests(p).get("cpu")).toBe(1000);
    expect(podRequests(p).get("example.com/gpu")).toBe(2);
    expect(podRequests(p).get("memory")).toBeUndefined();
    const nz = podNonZeroRequests(p);
    expect(nz.get("cpu")).toBe(1100);
    expect(nz.get("memory")).toBe(2 * 200 * 1024 * 1024);
  });
});

describe("FitError message", () => {
  test("histogram sorted as strings, prefilter and postfilter parts", () => {
    const st = (reasons: string[]) => ({ code: "Unschedulable" as const, plugin: "x", reasons });
    const statuses = new Map([
      ["a", st(["Insufficient cpu", "Insufficient memory"])],
      ["b", st(["Insufficient cpu"])],
      ["c", st(["node(s) were unschedulable"])],
    ]);
    expect(fitErrorMessage(3, { statuses, plugins: new Set() })).toBe("0/3 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable, 2 Insufficient cpu.");
    expect(fitErrorMessage(2, { statuses: new Map(), preFilterMsg: "pod has unbound immediate PersistentVolumeClaims", plugins: new Set() }, "preemption: x.")).toBe(
      "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: x.",
    );
  });
});

describe("helpers", () => {
  test("tolerations", () => {
    const taint = { key: "k", value: "v", effect: "NoSchedule" };
    expect(tolerates({ key: "k", value: "v" }, taint)).toBe(true);
    expect(tolerates({ key: "k", operator: "Exists", effect: "NoSchedule" }, taint)).toBe(true);
    expect(tolerates({ operator: "Exists" }, taint)).toBe(true);
    expect(tolerates({ key: "k", value: "w" }, taint)).toBe(false);
    expect(tolerates({ key: "k", value: "v", effect: "NoExecute" }, taint)).toBe(false);
    expect(tolerates({ value: "v" }, taint)).toBe(false);
  });
  test("image names as nodes report them", () => {
    expect(normalizedImage("nginx")).toEqual(["nginx:latest", "docker.io/library/nginx:latest"]);
    expect(normalizedImage("me/app:1")).toEqual(["me/app:1", "docker.io/me/app:1"]);
    expect(normalizedImage("registry.local:5000/app")).toEqual(["registry.local:5000/app:latest"]);
  });
});

describe("scheduling queue", () => {
  let q: SchedulingQueue | undefined;
  afterEach(() => q?.close());
  const prio = (p: Pod) => p.spec.priority ?? 0;

  test("pops by priority, then arrival", async () => {
    let t = 0;
    q = new SchedulingQueue({ priorityOf: prio, now: () => ++t });
    q.add(pod("a"));
    q.add(pod("b", { priority: 100 }));
    q.add(pod("c"));
    q.add(pod("d", { priority: 100 }));
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.pod.metadata!.name!);
    expect(order).toEqual(["b", "d", "a", "c"]);
  });

  test("a priority change while queued re-orders the pod", async () => {
    let t = 0;
    q = new SchedulingQueue({ priorityOf: prio, now: () => ++t });
    q.add(pod("a"));
    q.add(pod("b"));
    q.update(pod("b", { priority: 10 }));
    expect((await q.pop())!.key).toBe("default/b");
    expect((await q.pop())!.key).toBe("default/a");
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  test("unschedulable pods wait for a cluster event, then their back-off", async () => {
    q = new SchedulingQueue({ priorityOf: prio, initialBackoffMs: 30, maxBackoffMs: 60 });
    q.add(pod("a"));
    const a = (await q.pop())!;
    q.requeueUnschedulable(a, new Set(["NodeResourcesFit"]));
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    // An event that does not concern it leaves it parked.
    q.moveAllToActiveOrBackoff((x) => x.unschedulablePlugins.has("InterPodAffinity"));
    expect(q.pendingCounts().unschedulable).toBe(1);
    q.moveAllToActiveOrBackoff();
    const started = Date.now();
    const again = await q.pop();
    expect(again!.key).toBe("default/a");
    expect(again!.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  test("an event during the attempt sends the pod to back-off, not to the parked set", async () => {
    q = new SchedulingQueue({ priorityOf: prio, initialBackoffMs: 20, maxBackoffMs: 40 });
    q.add(pod("a"));
    const a = (await q.pop())!;
    q.moveAllToActiveOrBackoff();
    q.requeueUnschedulable(a, new Set());
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    expect((await q.pop())!.key).toBe("default/a");
  });

  test("a pod deleted and re-created is popped once, as the new object", async () => {
    let t = 0;
    q = new SchedulingQueue({ priorityOf: prio, now: () => ++t });
    q.add(pod("a"));
    q.add(pod("b"));
    q.delete(pod("a"));
    const again = { ...pod("a"), metadata: { name: "a", namespace: "default", uid: "a2" } };
    q.add(again);
    expect(q.pendingCounts()).toEqual({ active: 2, backoff: 0, unschedulable: 0 });
    const first = (await q.pop())!;
    const second = (await q.pop())!;
    expect([first.key, second.key]).toEqual(["default/b", "default/a"]);
    expect(second.pod.metadata!.uid).toBe("a2");
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  test("deleted pods leave the queue; close wakes waiters", async () => {
    q = new SchedulingQueue({ priorityOf: prio });
    q.add(pod("a"));
    q.delete(pod("a"));
    expect(q.pendingCounts().active).toBe(0);
    const waiting = q.pop();
    q.close();
    expect(await waiting).toBeUndefined();
  });
});
