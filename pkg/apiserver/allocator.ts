// ClusterIP and NodePort allocation. Each allocation is one storage key created atomically
// (/registry/ranges/serviceips/<ip>, /registry/ranges/servicenodeports/<port>), so restarts
// and concurrent creates never hand out the same value twice.
import { StorageError } from "../storage/types.ts";
import type { Backend } from "../storage/types.ts";
import type { FieldError } from "../api/types.ts";

const IP_PREFIX = "/registry/ranges/serviceips/";
const PORT_PREFIX = "/registry/ranges/servicenodeports/";

export class AllocationError extends Error {
  constructor(readonly fieldError: FieldError) {
    super(fieldError.message);
  }
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}
const intToIP = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

export interface ServiceAllocator {
  readonly cidr: string;
  /** First usable address (the kubernetes service). */
  firstIP(): string;
  /** Allocate `ip` (or any free one) for owner; dryRun checks without taking it. */
  allocateIP(owner: string, ip: string | undefined, dryRun: boolean): Promise<string>;
  releaseIP(ip: string): Promise<void>;
  allocatePort(owner: string, port: number | undefined, dryRun: boolean, field: string): Promise<number>;
  releasePort(port: number): Promise<void>;
}

export function createServiceAllocator(backend: Backend, cidr: string, portRange: [number, number]): ServiceAllocator {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const net = ipToInt(base ?? "");
  if (net === undefined || !(bits >= 8 && bits <= 30)) throw new Error(`invalid service CIDR ${cidr}`);
  const size = 2 ** (32 - bits);
  const start = (net & ~(size - 1)) >>> 0;
  // Usable offsets 1..size-2 (network and broadcast excluded). Dynamic allocation prefers the
  // upper band, leaving the lower one for explicitly requested IPs, as upstream does.
  const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);

  async function take(key: string, owner: string, dryRun: boolean): Promise<boolean> {
    if (dryRun) return !(await backend.get(key)).kv;
    try {
      await backend.create(key, JSON.stringify({ owner }));
      return true;
    } catch (e) {
      if (e instanceof StorageError && e.code === "KeyExists") return false;
      throw e;
    }
  }
  async function release(key: string) {
    try {
      await backend.delete(key);
    } catch (e) {
      if (!(e instanceof StorageError && e.code === "NotFound")) throw e;
    }
  }
  async function used(prefix: string): Promise<Set<string>> {
    const r = await backend.list(prefix);
    return new Set(r.kvs.map((kv) => kv.key.slice(prefix.length)));
  }

  return {
    cidr,
    firstIP: () => intToIP(start + 1),
    async allocateIP(owner, ip, dryRun) {
      if (ip) {
        const n = ipToInt(ip);
        const bad = (why: string) => new AllocationError({ type: "FieldValueInvalid", field: "spec.clusterIPs", message: `Invalid value: []string{${JSON.stringify(ip)}}: failed to allocate IP ${ip}: ${why}` });
        if (n === undefined) throw new AllocationError({ type: "FieldValueInvalid", field: "spec.clusterIPs[0]", message: `Invalid value: ${JSON.stringify(ip)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` });
        if (n <= start || n >= start + size - 1) throw bad(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}`);
        if (!(await take(IP_PREFIX + ip, owner, dryRun))) throw bad("provided IP is already allocated");
        return ip;
      }
      const taken = await used(IP_PREFIX);
      const lo = size - 2 > staticBand * 2 ? staticBand + 1 : 1;
      const bands: Array<[number, number]> = [[lo, size - 2], [1, lo - 1]];
      for (const [a, b] of bands) {
        const n = b - a + 1;
        if (n <= 0) continue;
        const off = Math.floor(Math.random() * n);
        for (let i = 0; i < n; i++) {
          const cand = intToIP(start + a + ((off + i) % n));
          if (taken.has(cand)) continue;
          if (await take(IP_PREFIX + cand, owner, dryRun)) return cand;
        }
      }
      throw new AllocationError({ type: "FieldValueInvalid", field: "spec.clusterIPs", message: `Invalid value: []string(nil): failed to allocate a serviceIP: range is full` });
    },
    releaseIP: (ip) => release(IP_PREFIX + ip),
    async allocatePort(owner, port, dryRun, field) {
      const [lo, hi] = portRange;
      if (port !== undefined) {
        if (port < lo || port > hi)
          throw new AllocationError({ type: "FieldValueInvalid", field, message: `Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` });
        if (!(await take(PORT_PREFIX + port, owner, dryRun)))
          throw new AllocationError({ type: "FieldValueInvalid", field, message: `Invalid value: ${port}: provided port is already allocated` });
        return port;
      }
      const taken = await used(PORT_PREFIX);
      const n = hi - lo + 1;
      const off = Math.floor(Math.random() * n);
      for (let i = 0; i < n; i++) {
        const cand = lo + ((off + i) % n);
        if (taken.has(String(cand))) continue;
        if (await take(PORT_PREFIX + cand, owner, dryRun)) return cand;
      }
      throw new AllocationError({ type: "FieldValueInvalid", field, message: `Invalid value: 0: failed to allocate a nodePort: range is full` });
    },
    releasePort: (port) => release(PORT_PREFIX + port),
  };
}
