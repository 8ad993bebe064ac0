import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import * as packet from "dns-packet";
import { buildZone, type ZoneIndex } from "./zone.ts";
import { startDnsServer, type DnsServer } from "./server.ts";
import { Forwarder } from "./forward.ts";
import { parseResolvConf } from "./resolvconf.ts";
import { tcpQuery } from "./transport.ts";
import { svc, slice } from "../proxy/testdata.ts";
import type { Logger } from "../util/log.ts";

const logs: string[] = [];
const logger: Logger = { v: () => {}, info: () => {}, warn: (m) => logs.push(m), error: (m) => logs.push(m), child: () => logger };

const services = [
  svc("default", "web", { clusterIP: "10.43.0.20", clusterIPs: ["10.43.0.20"], ports: [{ name: "http", port: 80, protocol: "TCP" }, { port: 81 }] }),
  svc("default", "db", { clusterIP: "None", ports: [{ name: "pg", port: 5432 }] }),
  svc("default", "empty", { clusterIP: "None", ports: [{ port: 1 }] }),
  svc("default", "ext", { type: "ExternalName", externalName: "example.org" }),
  svc("default", "big", { clusterIP: "None", ports: [{ port: 80 }] }),
];
const slices = [
  slice("default", "db", [{ name: "pg", port: 5432 }], [{ ip: "10.42.0.7", hostname: "db-0" }, { ip: "10.42.0.8" }, { ip: "10.42.0.9", ready: false }]),
  slice("default", "big", [{ port: 80 }], Array.from({ length: 60 }, (_, i) => ({ ip: `10.42.1.${i + 1}` }))),
];
const pods = [{ metadata: { namespace: "default", name: "p" }, spec: {}, status: { podIP: "10.42.0.55", podIPs: [{ ip: "10.42.0.55" }] } }];

let zone: ZoneIndex = buildZone("cluster.local", services, slices, pods);
let server: DnsServer;
let upstream: ReturnType<typeof createSocket>;
let upstreamHits = 0;

function query(name: string, type: packet.RecordType, opts: { edns?: number; id?: number } = {}): Buffer {
  return packet.encode({
    type: "query",
    id: opts.id ?? 4242,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type, name, class: "IN" }],
    additionals: opts.edns ? [{ type: "OPT", name: ".", udpPayloadSize: opts.edns, flags: 0, options: [] } as any] : [],
  });
}

function udp(port: number, msg: Buffer, timeoutMs = 3000): Promise<any> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    const t = setTimeout(() => {
      s.close();
      reject(new Error("udp timeout"));
    }, timeoutMs);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve({ ...packet.decode(m), size: m.length });
    });
    s.send(msg, port, "127.0.0.1");
  });
}
const ask = (name: string, type: packet.RecordType, o?: { edns?: number }) => udp(server.port, query(name, type, o));

beforeAll(async () => {
  // a fake upstream resolver on loopback: example.org → 192.0.2.1 (ttl 60), everything else NXDOMAIN
  upstream = createSocket("udp4");
  upstream.on("message", (m, rinfo) => {
    upstreamHits++;
    const q = packet.decode(m);
    const name = q.questions![0]!.name;
    const ok = name === "example.org" && q.questions![0]!.type === "A";
    const res = packet.encode({
      type: "response",
      id: q.id,
      flags: packet.RECURSION_AVAILABLE | (name === "example.org" ? 0 : 3),
      questions: q.questions,
      answers: ok ? [{ type: "A", name, ttl: 60, class: "IN", data: "192.0.2.1" }] : [],
    });
    upstream.send(res, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => upstream.bind(0, "127.0.0.1", r));
  const up = { host: "127.0.0.1", port: upstream.address().port };
  server = await startDnsServer({ host: "127.0.0.1", port: 0, domain: "cluster.local", zone: () => zone, forwarder: new Forwarder({ upstreams: [up], isSelf: () => false, logger }), logger });
});
afterAll(() => {
  server?.stop();
  upstream?.close();
});

describe("cluster zone over UDP", () => {
  test("service A record with TTL 5 and the AA bit", async () => {
    const r = await ask("web.default.svc.cluster.local", "A");
    expect(r.rcode).toBe("NOERROR");
    expect(r.flag_aa).toBe(true);
    expect(r.id).toBe(4242);
    expect(r.answers).toEqual([{ name: "web.default.svc.cluster.local", type: "A", ttl: 5, class: "IN", flush: false, data: "10.43.0.20" }]);
  });

  test("NODATA (NOERROR + SOA) for an existing name without that type; NXDOMAIN for a missing one", async () => {
    const a = await ask("web.default.svc.cluster.local", "AAAA");
    expect(a.rcode).toBe("NOERROR");
    expect(a.answers).toEqual([]);
    expect(a.authorities[0].type).toBe("SOA");
    const b = await ask("nope.default.svc.cluster.local", "A");
    expect(b.rcode).toBe("NXDOMAIN");
    expect(b.authorities[0].type).toBe("SOA");
    expect((await ask("default.svc.cluster.local", "A")).rcode).toBe("NOERROR");
    expect((await ask("nons.svc.cluster.local", "A")).rcode).toBe("NXDOMAIN");
  });

  test("headless service → ready endpoint IPs; named endpoint; no endpoints → NXDOMAIN", async () => {
    const r = await ask("db.default.svc.cluster.local", "A");
    expect(r.answers.map((a: any) => a.data).sort()).toEqual(["10.42.0.7", "10.42.0.8"]);
    expect((await ask("db-0.db.default.svc.cluster.local", "A")).answers[0].data).toBe("10.42.0.7");
    expect((await ask("10-42-0-8.db.default.svc.cluster.local", "A")).answers[0].data).toBe("10.42.0.8");
    expect((await ask("empty.default.svc.cluster.local", "A")).rcode).toBe("NXDOMAIN");
  });

  test("SRV for named ports (cluster IP and headless) with additional A records", async () => {
    const r = await ask("_http._tcp.web.default.svc.cluster.local", "SRV");
    expect(r.answers).toHaveLength(1);
    expect(r.answers[0].data).toEqual({ priority: 0, weight: 100, port: 80, target: "web.default.svc.cluster.local" });
    expect(r.additionals.find((a: any) => a.type === "A").data).toBe("10.43.0.20");
    const h = await ask("_pg._tcp.db.default.svc.cluster.local", "SRV");
    expect(h.answers.map((a: any) => a.data.target).sort()).toEqual(["10-42-0-8.db.default.svc.cluster.local", "db-0.db.default.svc.cluster.local"]);
    expect((await ask("_nope._tcp.web.default.svc.cluster.local", "SRV")).rcode).toBe("NXDOMAIN");
  });

  test("PTR for service, endpoint and pod IPs; unknown reverse names are forwarded", async () => {
    expect((await ask("20.0.43.10.in-addr.arpa", "PTR")).answers[0].data).toBe("web.default.svc.cluster.local");
    expect((await ask("7.0.42.10.in-addr.arpa", "PTR")).answers[0].data).toBe("db-0.db.default.svc.cluster.local");
    expect((await ask("55.0.42.10.in-addr.arpa", "PTR")).answers[0].data).toBe("10-42-0-55.default.pod.cluster.local");
    const before = upstreamHits;
    expect((await ask("9.9.9.9.in-addr.arpa", "PTR")).rcode).toBe("NXDOMAIN");
    expect(upstreamHits).toBe(before + 1);
  });

  test("ExternalName → CNAME; pod names; dns-version", async () => {
    const r = await ask("ext.default.svc.cluster.local", "A");
    expect(r.answers[0]).toMatchObject({ type: "CNAME", data: "example.org" });
    expect((await ask("10-42-0-99.default.pod.cluster.local", "A")).answers[0].data).toBe("10.42.0.99");
    expect((await ask("dns-version.cluster.local", "TXT")).answers[0].data).toEqual([Buffer.from("1.1.0")]);
  });

  test("large answers: TC over 512 bytes, full answer with EDNS0 or TCP", async () => {
    const r = await ask("big.default.svc.cluster.local", "A");
    expect(r.flag_tc).toBe(true);
    expect(r.answers).toEqual([]);
    const e = await ask("big.default.svc.cluster.local", "A", { edns: 4096 });
    expect(e.flag_tc).toBe(false);
    expect(e.answers).toHaveLength(60);
    const t = packet.decode(await tcpQuery("127.0.0.1", server.port, query("big.default.svc.cluster.local", "A")));
    expect(t.answers).toHaveLength(60);
    expect(t.flag_tc).toBe(false);
  });

  test("index changes are seen on the next query", async () => {
    zone = buildZone("cluster.local", [...services, svc("default", "new", { clusterIP: "10.43.0.99", ports: [{ port: 1 }] })], slices);
    expect((await ask("new.default.svc.cluster.local", "A")).answers[0].data).toBe("10.43.0.99");
    zone = buildZone("cluster.local", services, slices, pods);
  });
});

describe("forwarding", () => {
  test("outside names go upstream once, then come from the cache with the client's id", async () => {
    const before = upstreamHits;
    const a = await ask("example.org", "A");
    expect(a.answers[0].data).toBe("192.0.2.1");
    expect(a.flag_aa).toBe(false);
    const b = await udp(server.port, query("example.org", "A", { id: 777 }));
    expect(b.id).toBe(777);
    expect(b.answers[0].data).toBe("192.0.2.1");
    expect(b.answers[0].ttl).toBeLessThanOrEqual(30);
    expect(upstreamHits).toBe(before + 1);
    expect((await ask("nothing.example", "A")).rcode).toBe("NXDOMAIN");
  });

  test("TCP queries are forwarded too", async () => {
    const r = packet.decode(await tcpQuery("127.0.0.1", server.port, query("example.org", "A")));
    expect((r.answers![0] as any).data).toBe("192.0.2.1");
  });

  test("an upstream that is ourselves is detected by the loop probe: SERVFAIL and a log line", async () => {
    const fwd = new Forwarder({ upstreams: [], isSelf: () => false, logger, timeoutMs: 500 });
    const looped = await startDnsServer({ host: "127.0.0.1", port: 0, domain: "cluster.local", zone: () => zone, forwarder: fwd, logger });
    try {
      // point the forwarder at its own server, as a resolv.conf naming the cluster DNS would
      fwd.setUpstreams([{ host: "127.0.0.1", port: looped.port }]);
      await fwd.probe();
      expect(logs.some((l) => l.includes("forwarding loop detected"))).toBe(true);
      const r = await udp(looped.port, query("example.org", "A"));
      expect(r.rcode).toBe("SERVFAIL");
    } finally {
      looped.stop();
    }
  });

  test("statically known self addresses never get forwarded to", () => {
    logs.length = 0;
    const f = new Forwarder({ upstreams: [{ host: "10.43.0.10", port: 53 }], isSelf: (u) => u.host === "10.43.0.10", logger });
    expect(f.usable()).toEqual([]);
    expect(logs[0]).toContain("forwarding loop detected");
  });
});

test("resolv.conf parsing", () => {
  expect(parseResolvConf("# c\nnameserver 1.1.1.1\nnameserver fe80::1%eth0\nsearch a.b c.d\noptions ndots:5\n")).toEqual({ nameservers: ["1.1.1.1", "fe80::1"], search: ["a.b", "c.d"] });
});
