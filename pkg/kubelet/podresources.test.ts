import { expect, test } from "bun:test";
import { podResources } from "./podresources.ts";

const c = (requests: any = {}, limits: any = {}) => ({ name: "x", resources: { requests, limits } });

test("shares from summed requests; quota and memory only when every container has limits", () => {
  expect(podResources({ containers: [c({ cpu: "250m" }), c({ cpu: "250m" })] })).toEqual({ cpuShares: 512 });
  expect(podResources({ containers: [c({}, { cpu: "500m", memory: "64Mi" }), c({}, { cpu: "1", memory: "64Mi" })] })).toEqual({ cpuShares: 1536, cpuPeriodUs: 100000, cpuQuotaUs: 150000, memoryLimitBytes: 128 * 1024 * 1024 });
  expect(podResources({ containers: [c({}, { memory: "64Mi" }), c()] }).memoryLimitBytes).toBeUndefined();
  expect(podResources({ containers: [c()] })).toEqual({ cpuShares: 2 });
});

test("a bigger init container sets the floor; sidecars add up", () => {
  const spec = { initContainers: [{ ...c({}, { memory: "512Mi" }) }, { ...c({}, { memory: "32Mi" }), restartPolicy: "Always" }], containers: [c({}, { memory: "64Mi" })] };
  expect(podResources(spec).memoryLimitBytes).toBe(512 * 1024 * 1024);
  spec.initContainers[0].resources.limits.memory = "16Mi";
  expect(podResources(spec).memoryLimitBytes).toBe(96 * 1024 * 1024);
});
