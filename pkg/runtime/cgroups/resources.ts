// Kubernetes requests/limits → cgroup settings, and the kubelet's QoS cgroup layout.
import type { CgroupResources, QosClass } from "../types.ts";

const MIN_SHARES = 2, MAX_SHARES = 262144, PERIOD_US = 100000, MIN_QUOTA_US = 1000;

/** milliCPU → cpu.shares as the kubelet does (MilliCPUToShares). */
export function milliCpuToShares(milli: number): number {
  if (milli === 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000)));
}

/** cpu.shares → cgroup v2 cpu.weight (the runc/crun formula). */
export function sharesToWeight(shares: number): number {
  return Math.floor(1 + ((shares - 2) * 9999) / 262142);
}

/** requests/limits in milliCPU and bytes → cgroup resources. */
export function resourcesFromKubernetes(r: { cpuRequestMilli?: number; cpuLimitMilli?: number; memoryLimitBytes?: number; pidsLimit?: number }): CgroupResources {
  const out: CgroupResources = { cpuShares: milliCpuToShares(r.cpuRequestMilli ?? r.cpuLimitMilli ?? 0) };
  if (r.cpuLimitMilli) {
    out.cpuPeriodUs = PERIOD_US;
    out.cpuQuotaUs = Math.max(MIN_QUOTA_US, Math.floor((r.cpuLimitMilli * PERIOD_US) / 1000));
  }
  if (r.memoryLimitBytes) out.memoryLimitBytes = r.memoryLimitBytes;
  if (r.pidsLimit) out.pidsLimit = r.pidsLimit;
  return out;
}

/** The pod cgroup relative to the runtime root: guaranteed pods sit directly under kubepods. */
export function podCgroupPath(qos: QosClass, podUid: string): string {
  const pod = `pod${podUid}`;
  if (qos === "Guaranteed") return `kubepods/${pod}`;
  return `kubepods/${qos === "Burstable" ? "burstable" : "besteffort"}/${pod}`;
}
