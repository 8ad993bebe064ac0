// Test-only: the controller configuration tests start from (pkg/server's defaults, no real CA).
import type { ControllerConfig } from "../types.ts";

export function testControllerConfig(over: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    serviceCIDR: "10.43.0.0/16",
    clusterCIDR: "10.42.0.0/16",
    clusterDomain: "cluster.local",
    nodeMonitorGracePeriodMs: 40_000,
    podEvictionTimeoutMs: 300_000,
    terminatedPodGCThreshold: 12_500,
    hpaSyncPeriodMs: 15_000,
    rootCAPem: "",
    localStoragePath: "/tmp",
    now: () => new Date(),
    ...over,
  };
}
