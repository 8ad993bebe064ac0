// Host-local IPAM over the node's podCIDR: allocations persisted as one JSON file
// (ip → pod uid), so a restarted kubun keeps every running pod's address.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const ipToInt = (ip: string) => ip.split(".").reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
export const intToIp = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function cidrRange(cidr: string): { network: number; size: number; prefix: number } {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { network: (ipToInt(ip) & mask) >>> 0, size: 2 ** (32 - prefix), prefix };
}

/** The bridge's address: the first host of the range. */
export const gatewayOf = (cidr: string) => intToIp(cidrRange(cidr).network + 1);

export function ipInCidr(ip: string, cidr: string): boolean {
  const r = cidrRange(cidr);
  const n = ipToInt(ip);
  return n >= r.network && n < r.network + r.size;
}

export class Ipam {
  private used: Record<string, string>;
  private next: number;
  private readonly range: ReturnType<typeof cidrRange>;

  constructor(private readonly file: string, readonly cidr: string) {
    this.range = cidrRange(cidr);
    this.used = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
    this.next = 2;
  }

  private save() {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file + ".tmp", JSON.stringify(this.used));
    renameSync(this.file + ".tmp", this.file);
  }

  /** The owner's address (the same one again if it already has one). */
  allocate(owner: string): string {
    for (const [ip, o] of Object.entries(this.used)) if (o === owner) return ip;
    const hosts = this.range.size - 2;
    // round-robin like host-local, so a released address is not reused at once
    for (let i = 0; i < hosts - 1; i++) {
      const off = ((this.next - 2 + i) % (hosts - 1)) + 2;
      const ip = intToIp(this.range.network + off);
      if (!this.used[ip]) {
        this.used[ip] = owner;
        this.next = off + 1;
        this.save();
        return ip;
      }
    }
    throw new Error(`no free address left in ${this.cidr}`);
  }

  /** Hand an address over to a new owner (a warm sandbox claimed by a pod). */
  transfer(from: string, to: string): void {
    for (const [ip, o] of Object.entries(this.used)) if (o === from) this.used[ip] = to;
    this.save();
  }

  release(owner: string): void {
    let changed = false;
    for (const [ip, o] of Object.entries(this.used)) if (o === owner) { delete this.used[ip]; changed = true; }
    if (changed) this.save();
  }

  owners(): Map<string, string> {
    return new Map(Object.entries(this.used).map(([ip, o]) => [o, ip]));
  }
}
