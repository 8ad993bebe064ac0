import { describe, expect, test } from "bun:test";
import { podStatus, type ContainerView } from "./status.ts";
import type { ContainerStatus } from "../runtime/types.ts";

const rt = (id: string, state: ContainerStatus["state"], exitCode?: number, reason?: string): ContainerStatus => ({
  id, podId: "u", state, pid: 1, createdAt: "2026-01-01T00:00:00.123Z", startedAt: "2026-01-01T00:00:01.123Z", finishedAt: state === "exited" ? "2026-01-01T00:00:02.5Z" : undefined, exitCode, reason, logPath: "", cgroupPath: "",
});
const view = (name: string, o: Partial<ContainerView> = {}): ContainerView => ({ name, image: "busybox", restartCount: 0, ready: false, started: false, ...o });
const pod = (spec: any, status: any = {}) => ({ metadata: { name: "p", namespace: "d" }, spec: { containers: [{ name: "a" }], ...spec }, status: { qosClass: "BestEffort", ...status } });
const NOW = "2026-01-01T00:00:10Z";

describe("podStatus", () => {
  test("running and ready", () => {
    const s = podStatus(pod({}), { initContainers: [], containers: [view("a", { current: { status: rt("x", "running") }, ready: true, started: true })], podIPs: ["10.42.0.2"], hostIPs: ["1.2.3.4"], sandboxReady: true, startTime: NOW }, NOW);
    expect(s.phase).toBe("Running");
    expect(s.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(["PodReadyToStartContainers=True", "Initialized=True", "Ready=True", "ContainersReady=True", "PodScheduled=True"]);
    expect(s.containerStatuses[0].state.running.startedAt).toBe("2026-01-01T00:00:01Z");
    expect(s.containerStatuses[0].containerID).toBe("kubun://x");
    expect(s.podIP).toBe("10.42.0.2");
    expect(s.qosClass).toBe("BestEffort");
  });
  test("init pending → PodInitializing and Init conditions", () => {
    const s = podStatus(pod({ initContainers: [{ name: "i" }] }), { initContainers: [view("i", { current: { status: rt("y", "running") } })], containers: [view("a", { waiting: { reason: "PodInitializing" } })], podIPs: [], hostIPs: ["1.2.3.4"], sandboxReady: true }, NOW);
    expect(s.phase).toBe("Pending");
    expect(s.conditions[1]).toMatchObject({ type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [i]" });
    expect(s.containerStatuses[0].state.waiting.reason).toBe("PodInitializing");
  });
  test("CrashLoopBackOff keeps the last termination; Always stays Running", () => {
    const s = podStatus(pod({}), { initContainers: [], containers: [view("a", { current: { status: rt("x", "exited", 1) }, restartCount: 2, waiting: { reason: "CrashLoopBackOff", message: "back-off 20s" } })], podIPs: [], hostIPs: [], sandboxReady: true }, NOW);
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses[0].state.waiting.reason).toBe("CrashLoopBackOff");
    expect(s.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
  });
  test("Never: success → Succeeded, failure → Failed; OOMKilled reason kept", () => {
    const ok = podStatus(pod({ restartPolicy: "Never" }), { initContainers: [], containers: [view("a", { current: { status: rt("x", "exited", 0) } })], podIPs: [], hostIPs: [], sandboxReady: false }, NOW);
    expect(ok.phase).toBe("Succeeded");
    expect(ok.containerStatuses[0].state.terminated.reason).toBe("Completed");
    expect(ok.conditions.find((c: any) => c.type === "Ready").reason).toBe("PodCompleted");
    const oom = podStatus(pod({ restartPolicy: "Never" }), { initContainers: [], containers: [view("a", { current: { status: rt("x", "exited", 137, "OOMKilled") } })], podIPs: [], hostIPs: [], sandboxReady: false }, NOW);
    expect(oom.phase).toBe("Failed");
    expect(oom.containerStatuses[0].state.terminated.reason).toBe("OOMKilled");
  });
  test("evicted pods fail with reason Evicted and a DisruptionTarget condition", () => {
    const s = podStatus(pod({}), { initContainers: [], containers: [view("a", { current: { status: rt("x", "exited", 137) } })], podIPs: [], hostIPs: [], sandboxReady: false, failed: { reason: "Evicted", message: "The node was low on resource: memory. " } }, NOW);
    expect(s.phase).toBe("Failed");
    expect(s.reason).toBe("Evicted");
    expect(s.conditions.find((c: any) => c.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "TerminationByKubelet" });
  });
  test("transition times stay when the status does not change", () => {
    const prev = { conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2020-01-01T00:00:00Z" }] };
    const s = podStatus(pod({}, prev), { initContainers: [], containers: [view("a", { current: { status: rt("x", "running") }, ready: true, started: true })], podIPs: [], hostIPs: [], sandboxReady: true }, NOW);
    expect(s.conditions.find((c: any) => c.type === "Ready").lastTransitionTime).toBe("2020-01-01T00:00:00Z");
    expect(s.conditions.find((c: any) => c.type === "ContainersReady").lastTransitionTime).toBe(NOW);
  });
});
