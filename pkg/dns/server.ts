// The DNS server: UDP and TCP on one address/port, cluster-zone answers from the index,
// everything else forwarded; truncation for UDP over 512 bytes or the client's EDNS0 size.
import * as packet from "dns-packet";
import type { Logger } from "../util/log.ts";
import type { Forwarder } from "./forward.ts";
import { resolveZone, type Reply } from "./resolve.ts";
import { deframe, frame } from "./transport.ts";
import type { ZoneIndex } from "./zone.ts";

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port (the same for UDP and TCP). */
  port: number;
  domain: string;
  ttl?: number;
  /** The current index (rebuilt by the owner when the cluster changes). */
  zone: () => ZoneIndex;
  forwarder?: Forwarder;
  logger: Logger;
}

export interface DnsServer {
  host: string;
  port: number;
  stop(): void;
}

const RCODE: Record<Reply["rcode"] | "FORMERR" | "REFUSED" | "NOTIMP", number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const MAX_UDP = 4096;

/** Answers one raw query; `maxSize` is the UDP size limit (0 for TCP). */
export async function handleQuery(o: DnsServerOptions, msg: Buffer, maxSize: number): Promise<Uint8Array | undefined> {
  let q: packet.Packet;
  try {
    q = packet.decode(msg);
  } catch {
    return msg.length >= 12 ? errorReply(msg, RCODE.FORMERR) : undefined;
  }
  if (q.type !== "query") return undefined;
  const opt = (q.additionals ?? []).find((r) => r.type === "OPT") as { udpPayloadSize?: number } | undefined;
  const limit = maxSize === 0 ? 65535 : Math.min(MAX_UDP, Math.max(512, opt?.udpPayloadSize ?? 512));
  const question = q.questions?.[0];
  const rd = (q.flags ?? 0) & packet.RECURSION_DESIRED;
  const base = { type: "response" as const, id: q.id, questions: q.questions ?? [] };
  const optRec = opt ? [{ type: "OPT", name: ".", udpPayloadSize: MAX_UDP, flags: 0, options: [] } as any] : [];
  if (!question || ((q.flags ?? 0) >> 11) & 0xf) {
    return packet.encode({ ...base, flags: rd | (question ? RCODE.NOTIMP : RCODE.FORMERR), answers: [], authorities: [], additionals: optRec });
  }
  if (o.forwarder?.checkProbe(question.name)) return packet.encode({ ...base, flags: rd | RCODE.NXDOMAIN, answers: [], authorities: [], additionals: optRec });
  const r = resolveZone(question, o.zone(), { domain: o.domain, ttl: o.ttl ?? 5 });
  if (!r) {
    const fwd = o.forwarder && o.forwarder.usable().length > 0 ? await o.forwarder.forward(msg, question.name, question.type) : undefined;
    if (fwd) return fwd.length > limit ? truncate(fwd) : fwd;
    return packet.encode({ ...base, flags: rd | packet.RECURSION_AVAILABLE | RCODE.SERVFAIL, answers: [], authorities: [], additionals: optRec });
  }
  const flags = rd | packet.RECURSION_AVAILABLE | packet.AUTHORITATIVE_ANSWER | RCODE[r.rcode];
  let out = packet.encode({ ...base, flags, answers: r.answers, authorities: r.authorities, additionals: [...r.additionals, ...optRec] });
  if (out.length > limit) {
    // drop the optional extras first; if the answer itself does not fit, set TC
    out = packet.encode({ ...base, flags, answers: r.answers, authorities: r.authorities, additionals: optRec });
    if (out.length > limit) out = packet.encode({ ...base, flags: flags | packet.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: optRec });
  }
  return out;
}

/** A forwarded reply too large for the client: header + question with TC set. */
function truncate(res: Buffer): Uint8Array {
  const d = packet.decode(res) as any;
  return packet.encode({ type: "response", id: d.id, flags: (d.flags ?? 0) | packet.TRUNCATED_RESPONSE, questions: d.questions, answers: [], authorities: [], additionals: [] });
}

function errorReply(msg: Buffer, rcode: number): Uint8Array {
  const out = Buffer.alloc(12);
  msg.copy(out, 0, 0, 4);
  out.writeUInt16BE((1 << 15) | (msg.readUInt16BE(2) & 0x7900) | rcode, 2);
  return out;
}

export async function startDnsServer(o: DnsServerOptions): Promise<DnsServer> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    const udp = await Bun.udpSocket({
      hostname: o.host,
      port: o.port,
      socket: {
        // ICMP errors for clients that went away (ECONNREFUSED) are not ours to report
        error() {},
        data(sock, data, port, address) {
          const msg = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          handleQuery(o, msg, 512).then(
            (out) => {
              try {
                if (out) sock.send(out, port, address);
              } catch {
                // the client is gone (ECONNREFUSED from an earlier ICMP error)
              }
            },
            (e) => o.logger.v(2, "dns query failed", { err: e }),
          );
        },
      },
    });
    try {
      const tcp = Bun.listen<{ rest: Buffer }>({
        hostname: o.host,
        port: udp.port,
        socket: {
          open(s) {
            s.data = { rest: Buffer.alloc(0) };
          },
          error() {},
          data(s, d) {
            s.data.rest = deframe(Buffer.concat([s.data.rest, Buffer.from(d)]), (m) => {
              handleQuery(o, Buffer.from(m), 0).then(
                (out) => out && s.write(frame(out)),
                (e) => o.logger.v(2, "dns query failed", { err: e }),
              );
            });
          },
        },
      });
      return {
        host: o.host,
        port: udp.port,
        stop() {
          udp.close();
          tcp.stop(true);
          o.forwarder?.close();
        },
      };
    } catch (e) {
      // the TCP side of a random UDP port was taken: try another pair
      udp.close();
      lastErr = e;
      if (o.port !== 0) break;
    }
  }
  throw lastErr;
}
