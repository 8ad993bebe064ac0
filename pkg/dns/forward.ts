// Forwarding to the host's resolvers: UDP with TCP retry on truncation, a small TTL-bounded
// answer cache, and loop detection (a probe name that comes back to us marks the upstream).
import { createSocket, type Socket } from "node:dgram";
import * as packet from "dns-packet";
import type { Logger } from "../util/log.ts";
import { tcpQuery } from "./transport.ts";

export interface Upstream {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** True for an address that is this server itself (static loop detection). */
  isSelf: (u: Upstream) => boolean;
  logger: Logger;
  timeoutMs?: number;
  maxEntries?: number;
  /** Upper bound on cached TTLs (k3s's Corefile: `cache 30`). */
  maxTTL?: number;
}

interface Entry {
  msg: Buffer;
  stored: number;
  expires: number;
}

export const LOOP_ZONE = "kubun-loop-check";

export class Forwarder {
  private sock: Socket | undefined;
  private pending = new Map<number, (b: Buffer) => void>();
  private cache = new Map<string, Entry>();
  private looping = new Set<number>();
  private readonly probeId = Math.random().toString(36).slice(2, 10);
  upstreams: Upstream[] = [];

  constructor(private readonly o: ForwarderOptions) {
    this.setUpstreams(o.upstreams);
  }

  /** Replaces the resolvers (resolv.conf changed); loop state and cache start over. */
  setUpstreams(list: Upstream[]): void {
    this.upstreams = [...list];
    this.looping.clear();
    this.cache.clear();
    this.upstreams.forEach((u, i) => {
      if (this.o.isSelf(u)) this.markLoop(i);
    });
  }

  /** The probe name for upstream i; seeing it arrive at our server means a loop. */
  probeName(i: number): string {
    return `${this.probeId}-${i}.${LOOP_ZONE}`;
  }

  /** Called by the server for every question: true if it was one of our loop probes. */
  checkProbe(qname: string): boolean {
    const m = new RegExp(`^${this.probeId}-(\\d+)\\.${LOOP_ZONE}$`).exec(qname.toLowerCase());
    if (!m) return false;
    this.markLoop(Number(m[1]));
    return true;
  }

  private markLoop(i: number) {
    if (this.looping.has(i)) return;
    this.looping.add(i);
    const u = this.upstreams[i];
    this.o.logger.error("forwarding loop detected: upstream resolver is this DNS server; not forwarding to it", { upstream: `${u?.host}:${u?.port}` });
  }

  usable(): Upstream[] {
    return this.upstreams.filter((_, i) => !this.looping.has(i));
  }

  /** Sends a probe through every upstream (CoreDNS's loop plugin). */
  async probe(): Promise<void> {
    await Promise.all(
      this.upstreams.map((_, i) => this.exchange(i, packet.encode({ type: "query", id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type: "HINFO", name: this.probeName(i), class: "IN" }] })).catch(() => undefined)),
    );
  }

  private async socket(): Promise<Socket> {
    if (this.sock) return this.sock;
    const s = createSocket("udp4");
    s.on("message", (m: Buffer) => {
      if (m.length < 2) return;
      const cb = this.pending.get(m.readUInt16BE(0));
      if (cb) cb(m);
    });
    s.on("error", () => {});
    await new Promise<void>((r) => s.bind(0, r));
    s.unref();
    this.sock = s;
    return s;
  }

  private async exchange(i: number, query: Buffer): Promise<Buffer> {
    const u = this.upstreams[i]!;
    const s = await this.socket();
    let id = 0;
    for (let n = 0; n < 10 && (id === 0 || this.pending.has(id)); n++) id = 1 + Math.floor(Math.random() * 65534);
    const q = Buffer.from(query);
    q.writeUInt16BE(id, 0);
    const res = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer from ${u.host}:${u.port}`));
      }, this.o.timeoutMs ?? 2000);
      this.pending.set(id, (b) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(b);
      });
      // an unreachable resolver (no route, no interface) fails now instead of after the timeout
      s.send(q, u.port, u.host, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      });
    });
    // truncated over UDP: ask again over TCP
    const flags = res.readUInt16BE(2);
    const out = flags & packet.TRUNCATED_RESPONSE ? await tcpQuery(u.host, u.port, q, this.o.timeoutMs ?? 2000) : res;
    return out;
  }

  /** Forwards a raw query; resolves with the raw reply (client's id), or undefined (SERVFAIL). */
  async forward(query: Buffer, qname: string, qtype: string): Promise<Buffer | undefined> {
    const key = `${qname.toLowerCase()}|${qtype}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return this.fromCache(hit, query.readUInt16BE(0), now);
    if (hit) this.cache.delete(key);
    const ups = this.usable();
    for (const u of ups) {
      const i = this.upstreams.indexOf(u);
      try {
        const res = await this.exchange(i, query);
        res.writeUInt16BE(query.readUInt16BE(0), 0);
        this.store(key, res, now);
        return res;
      } catch {
        // next upstream
      }
    }
    return undefined;
  }

  private store(key: string, res: Buffer, now: number) {
    let d: packet.Packet;
    try {
      d = packet.decode(res);
    } catch {
      return;
    }
    const rcode = (d as any).rcode as string;
    if (rcode !== "NOERROR" && rcode !== "NXDOMAIN") return;
    const recs = [...(d.answers ?? []), ...(d.authorities ?? [])] as Array<{ ttl?: number; type: string }>;
    const ttls = recs.filter((r) => r.type !== "OPT").map((r) => r.ttl ?? 0);
    const ttl = Math.min(this.o.maxTTL ?? 30, ...(ttls.length ? ttls : [0]));
    if (ttl <= 0) return;
    if (this.cache.size >= (this.o.maxEntries ?? 10_000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { msg: Buffer.from(res), stored: now, expires: now + ttl * 1000 });
  }

  private fromCache(e: Entry, id: number, now: number): Buffer {
    const d = packet.decode(e.msg) as any;
    const elapsed = Math.floor((now - e.stored) / 1000);
    for (const sec of [d.answers, d.authorities, d.additionals]) for (const r of sec ?? []) if (r.type !== "OPT" && typeof r.ttl === "number") r.ttl = Math.max(0, Math.min(r.ttl, this.o.maxTTL ?? 30) - elapsed);
    d.id = id;
    return packet.encode(d);
  }

  close() {
    this.sock?.close();
    this.sock = undefined;
    this.pending.clear();
  }
}
