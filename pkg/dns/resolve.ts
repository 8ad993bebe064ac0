// Answers questions for the cluster zone from a ZoneIndex (the Kubernetes DNS spec as CoreDNS's
// kubernetes plugin implements it); anything outside the zone is left to the forwarder.
import type { Answer as Rec, Question } from "dns-packet";
import type { ServiceRecord, ZoneIndex } from "./zone.ts";

export type Rcode = "NOERROR" | "NXDOMAIN" | "SERVFAIL";

export interface Reply {
  rcode: Rcode;
  answers: Rec[];
  authorities: Rec[];
  additionals: Rec[];
}

export interface ZoneOptions {
  domain: string;
  ttl: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isV4 = (ip: string) => V4.test(ip) && ip.split(".").every((o) => Number(o) <= 255);
const isV6 = (ip: string) => ip.includes(":");

export function soa(o: ZoneOptions): Rec {
  // serial changes are irrelevant to stub resolvers; minimum = negative-caching TTL
  return { type: "SOA", name: o.domain, ttl: o.ttl, class: "IN", data: { mname: `ns.dns.${o.domain}`, rname: `hostmaster.${o.domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: o.ttl } };
}

/** Is this name ours (cluster zone, or a reverse name we know)? Lower-case, no trailing dot. */
export function inZone(name: string, o: ZoneOptions): boolean {
  return name === o.domain || name.endsWith("." + o.domain);
}

function reply(o: ZoneOptions, rcode: Rcode, answers: Rec[] = [], additionals: Rec[] = []): Reply {
  return { rcode, answers, authorities: answers.length === 0 ? [soa(o)] : [], additionals };
}

function addrRecords(name: string, ips: string[], qtype: string, ttl: number): Rec[] {
  if (qtype === "A") return ips.filter(isV4).map((ip) => ({ type: "A", name, ttl, class: "IN", data: ip }) as Rec);
  if (qtype === "AAAA") return ips.filter(isV6).map((ip) => ({ type: "AAAA", name, ttl, class: "IN", data: ip }) as Rec);
  if (qtype === "ANY") return [...addrRecords(name, ips, "A", ttl), ...addrRecords(name, ips, "AAAA", ttl)];
  return [];
}

const usable = (s: ServiceRecord) => s.endpoints.filter((e) => e.ready || s.publishNotReady);

function serviceAnswer(q: Question, name: string, s: ServiceRecord, o: ZoneOptions): Reply {
  const { ttl } = o;
  if (s.externalName) return reply(o, "NOERROR", [{ type: "CNAME", name, ttl, class: "IN", data: s.externalName.replace(/\.$/, "") }]);
  if (q.type === "SRV") return srvAnswer(name, s, undefined, o);
  if (!s.headless) return reply(o, "NOERROR", addrRecords(name, s.clusterIPs, q.type, ttl));
  const eps = usable(s);
  if (eps.length === 0) return reply(o, "NXDOMAIN");
  return reply(o, "NOERROR", addrRecords(name, eps.map((e) => e.ip), q.type, ttl));
}

function srvAnswer(name: string, s: ServiceRecord, want: { port: string; proto: string } | undefined, o: ZoneOptions): Reply {
  const { ttl } = o;
  const fqdn = `${s.name}.${s.namespace}.svc.${o.domain}`;
  const match = (p: { name: string; protocol: string }) => !want || (p.name.toLowerCase() === want.port && p.protocol.toLowerCase() === want.proto);
  const answers: Rec[] = [];
  const extra: Rec[] = [];
  if (!s.headless) {
    for (const p of s.ports.filter(match)) answers.push({ type: "SRV", name, ttl, class: "IN", data: { priority: 0, weight: 100, port: p.port, target: fqdn } });
    if (answers.length) extra.push(...addrRecords(fqdn, s.clusterIPs, "A", ttl), ...addrRecords(fqdn, s.clusterIPs, "AAAA", ttl));
  } else {
    const eps = usable(s);
    const weight = eps.length ? Math.max(1, Math.floor(100 / eps.length)) : 100;
    for (const e of eps)
      for (const p of e.ports.filter(match)) {
        const target = `${e.name}.${fqdn}`;
        answers.push({ type: "SRV", name, ttl, class: "IN", data: { priority: 0, weight, port: p.port, target } });
        extra.push(...addrRecords(target, [e.ip], isV4(e.ip) ? "A" : "AAAA", ttl));
      }
  }
  if (want && answers.length === 0) return reply(o, "NXDOMAIN");
  return reply(o, "NOERROR", answers, extra);
}

/** The reply for a cluster-zone question, or undefined when it is not ours to answer. */
export function resolveZone(q: Question, zone: ZoneIndex, o: ZoneOptions): Reply | undefined {
  const name = q.name.toLowerCase().replace(/\.$/, "");
  if (name.endsWith(".in-addr.arpa") || name.endsWith(".ip6.arpa")) return reversePTR(q, name, zone, o);
  if (!inZone(name, o)) return undefined;
  const { ttl } = o;
  const rest = name === o.domain ? [] : name.slice(0, -(o.domain.length + 1)).split(".");
  if (rest.length === 0) {
    if (q.type === "SOA") return { rcode: "NOERROR", answers: [soa(o)], authorities: [], additionals: [] };
    if (q.type === "NS") return reply(o, "NOERROR", [{ type: "NS", name, ttl, class: "IN", data: `ns.dns.${o.domain}` }]);
    return reply(o, "NOERROR");
  }
  const kind = rest[rest.length - 1];
  if (rest.length === 1 && rest[0] === "dns-version")
    return reply(o, "NOERROR", q.type === "TXT" ? [{ type: "TXT", name, ttl, class: "IN", data: "1.1.0" }] : []);
  if (kind === "svc") {
    if (rest.length === 1) return reply(o, "NOERROR");
    const ns = rest[rest.length - 2]!;
    if (rest.length === 2) return reply(o, zone.namespaces.has(ns) ? "NOERROR" : "NXDOMAIN");
    const svc = zone.services.get(`${ns}/${rest[rest.length - 3]}`);
    if (!svc) return reply(o, "NXDOMAIN");
    if (rest.length === 3) return serviceAnswer(q, name, svc, o);
    if (rest.length === 4 && !rest[0]!.startsWith("_")) {
      // <hostname>.<svc>.<ns>.svc: a named endpoint of a headless service
      const e = svc.headless ? usable(svc).find((x) => x.name === rest[0]) : undefined;
      if (!e) return reply(o, "NXDOMAIN");
      return reply(o, "NOERROR", addrRecords(name, [e.ip], q.type, ttl));
    }
    if (rest.length === 5 && rest[0]!.startsWith("_") && rest[1]!.startsWith("_")) {
      if (q.type !== "SRV") {
        const r = srvAnswer(name, svc, { port: rest[0]!.slice(1), proto: rest[1]!.slice(1) }, o);
        return r.rcode === "NOERROR" ? reply(o, "NOERROR") : r;
      }
      return srvAnswer(name, svc, { port: rest[0]!.slice(1), proto: rest[1]!.slice(1) }, o);
    }
    return reply(o, "NXDOMAIN");
  }
  if (kind === "pod") {
    if (rest.length <= 2) return reply(o, "NOERROR");
    if (rest.length !== 3) return reply(o, "NXDOMAIN");
    // "pods insecure" as k3s configures CoreDNS: the name encodes the address
    const ip4 = rest[0]!.replaceAll("-", ".");
    if (isV4(ip4)) return reply(o, "NOERROR", addrRecords(name, [ip4], q.type, ttl));
    const ip6 = rest[0]!.replaceAll("-", ":");
    if (isV6(ip6)) return reply(o, "NOERROR", addrRecords(name, [ip6], q.type, ttl));
    return reply(o, "NXDOMAIN");
  }
  return reply(o, "NXDOMAIN");
}

function reversePTR(q: Question, name: string, zone: ZoneIndex, o: ZoneOptions): Reply | undefined {
  if (!name.endsWith(".in-addr.arpa")) return undefined;
  const octets = name.slice(0, -".in-addr.arpa".length).split(".");
  if (octets.length !== 4) return undefined;
  const ip = octets.reverse().join(".");
  const target = zone.ptr.get(ip);
  // unknown addresses fall through to the upstream resolvers, like CoreDNS's fallthrough
  if (!target) return undefined;
  const answers: Rec[] = q.type === "PTR" || (q.type as string) === "ANY" ? [{ type: "PTR", name, ttl: o.ttl, class: "IN", data: target }] : [];
  return reply(o, "NOERROR", answers);
}

