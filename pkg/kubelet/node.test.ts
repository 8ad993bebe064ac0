import { expect, test } from "bun:test";
import { nodeObject, nodePodCIDR, nodeStatus, parseTaint, statusFingerprint } from "./node.ts";

const facts = { nodeName: "n1", nodeIPs: ["192.168.1.5"], podCIDR: "10.42.0.0/24", labels: ["zone=a", "gpu="], taints: ["dedicated=edge:NoSchedule", "maint:NoExecute"], fsCapacity: 10 * 1024 ** 3 };

test("podCIDR is a /24 of the cluster CIDR", () => {
  expect(nodePodCIDR("10.42.0.0/16")).toBe("10.42.0.0/24");
  expect(nodePodCIDR("10.42.0.0/16", 3)).toBe("10.42.3.0/24");
  expect(nodePodCIDR("172.16.5.9/12")).toBe("172.16.0.0/24");
});

test("labels, taints, addresses, capacity and upstream condition reasons", () => {
  expect(parseTaint("dedicated=edge:NoSchedule")).toEqual({ key: "dedicated", value: "edge", effect: "NoSchedule" });
  expect(() => parseTaint("nope")).toThrow();
  const n: any = nodeObject(facts, "2026-01-01T00:00:00Z");
  expect(n.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "n1", "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "true", zone: "a", gpu: "" });
  expect(n.spec.taints).toEqual([{ key: "dedicated", value: "edge", effect: "NoSchedule" }, { key: "maint", effect: "NoExecute" }]);
  expect(n.spec.podCIDRs).toEqual(["10.42.0.0/24"]);
  expect(n.status.addresses).toEqual([{ type: "InternalIP", address: "192.168.1.5" }, { type: "Hostname", address: "n1" }]);
  expect(n.status.capacity).toMatchObject({ pods: "110", "ephemeral-storage": `${10 * 1024 ** 2}Ki` });
  expect(n.status.nodeInfo.containerRuntimeVersion).toMatch(/^kubun:\/\/v1\.33\./);
  const ready = n.status.conditions.find((c: any) => c.type === "Ready");
  expect(ready).toMatchObject({ status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" });
  expect(n.status.conditions.find((c: any) => c.type === "MemoryPressure")).toMatchObject({ status: "False", reason: "KubeletHasSufficientMemory" });
});

test("heartbeats do not count as changes; pressure does, with a new transition time", () => {
  const a = nodeStatus(facts, "2026-01-01T00:00:00Z");
  const b = nodeStatus(facts, "2026-01-01T00:00:10Z", a);
  expect(statusFingerprint(b)).toBe(statusFingerprint(a));
  expect(b.conditions[0].lastTransitionTime).toBe("2026-01-01T00:00:00Z");
  const c = nodeStatus({ ...facts, pressure: { memory: true } }, "2026-01-01T00:00:20Z", b);
  expect(statusFingerprint(c)).not.toBe(statusFingerprint(b));
  expect(c.conditions[0]).toMatchObject({ type: "MemoryPressure", status: "True", reason: "KubeletHasInsufficientMemory", lastTransitionTime: "2026-01-01T00:00:20Z" });
});
