import { describe, expect, test } from "bun:test";
import { newRenderCache, renderRules } from "./render.ts";
import { restoreText, parseSave, missingJumps } from "./restore.ts";
import { JUMP_RULES } from "./render.ts";
import { extChain, sepChain, svcChain, svlChain, fwChain } from "./hash.ts";
import { svc, slice } from "./testdata.ts";
import type { ProxyConfig } from "./types.ts";

const cfg: ProxyConfig = { nodeName: "node1", nodeIPs: ["192.168.1.10"], clusterCIDR: "10.42.0.0/16", localhostNodePorts: true };
const rulesOf = (m: Map<string, string[]>, c: string) => m.get(c) ?? [];

describe("chain names", () => {
  test("match kube-proxy's hashes", () => {
    // values from kube-proxy's proxier_test.go
    expect(svcChain("ns1/svc1:p80", "TCP")).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(sepChain("ns1/svc1:p80", "tcp", "10.180.0.1:80")).toBe("KUBE-SEP-SXIVWICOYRO3J4NJ");
    expect(extChain("ns2/svc2:p80", "tcp")).toBe("KUBE-EXT-GNZBNJ2PO5MGZ6GT");
  });
});

describe("renderRules", () => {
  const web = svc("default", "web", { clusterIP: "10.43.0.20", clusterIPs: ["10.43.0.20"], ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }] });
  const webEps = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.3" }, { ip: "10.42.0.2" }, { ip: "10.42.0.4", ready: false }]);

  test("above 1,000 endpoints the endpoint rules drop their comments (kube-proxy's large cluster mode)", () => {
    const big = svc("default", "big", { clusterIP: "10.43.0.30", clusterIPs: ["10.43.0.30"], ports: [{ name: "http", port: 80, protocol: "TCP" }] });
    const ips = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.42.${i >> 8}.${i & 255}` }));
    const bigSlice = (n: number) => slice("default", "big", [{ name: "http", port: 8080 }], ips(n));
    const cache = newRenderCache();
    const svcC = svcChain("default/big:http", "tcp");
    const sep0 = sepChain("default/big:http", "tcp", "10.42.0.0:8080");
    // 998 + the 3 web endpoints (not-ready ones count too, as in kube-proxy) = 1,001 > 1,000
    const large = renderRules(cfg, { services: [web, big], slices: [webEps, bigSlice(998)] }, cache);
    expect(rulesOf(large.nat, svcC)[0]).toContain('--comment "default/big:http cluster IP"');
    expect(rulesOf(large.nat, svcC)[1]).toBe(`-A ${svcC} -m statistic --mode random --probability ${(1 / 998).toFixed(10)} -j ${sep0}`);
    expect(rulesOf(large.nat, sep0)).toEqual([`-A ${sep0} -s 10.42.0.0/32 -j KUBE-MARK-MASQ`, `-A ${sep0} -m tcp -p tcp -j DNAT --to-destination 10.42.0.0:8080`]);
    // an unchanged (cached) Service is re-rendered when the mode flips
    const webSvc = svcChain("default/web:http", "tcp");
    expect(rulesOf(large.nat, webSvc).at(-1)).toBe(`-A ${webSvc} -j ${sepChain("default/web:http", "tcp", "10.42.0.3:8080")}`);
    const small = renderRules(cfg, { services: [web, big], slices: [webEps, bigSlice(997)] }, cache);
    expect(rulesOf(small.nat, webSvc).at(-1)).toBe(`-A ${webSvc} -m comment --comment "default/web:http -> 10.42.0.3:8080" -j ${sepChain("default/web:http", "tcp", "10.42.0.3:8080")}`);
    expect(rulesOf(small.nat, sep0)[0]).toBe(`-A ${sep0} -m comment --comment default/big:http -s 10.42.0.0/32 -j KUBE-MARK-MASQ`);
  });

  test("cluster IP spreads over ready endpoints with kube-proxy probabilities", () => {
    const r = renderRules(cfg, { services: [web], slices: [webEps] });
    const svcC = svcChain("default/web:http", "tcp");
    const sep2 = sepChain("default/web:http", "tcp", "10.42.0.2:8080");
    const sep3 = sepChain("default/web:http", "tcp", "10.42.0.3:8080");
    expect(rulesOf(r.nat, "KUBE-SERVICES")).toContain(`-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.20/32 --dport 80 -j ${svcC}`);
    expect(rulesOf(r.nat, svcC)).toEqual([
      `-A ${svcC} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.20/32 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ`,
      `-A ${svcC} -m comment --comment "default/web:http -> 10.42.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep2}`,
      `-A ${svcC} -m comment --comment "default/web:http -> 10.42.0.3:8080" -j ${sep3}`,
    ]);
    expect(rulesOf(r.nat, sep2)).toEqual([
      `-A ${sep2} -m comment --comment default/web:http -s 10.42.0.2/32 -j KUBE-MARK-MASQ`,
      `-A ${sep2} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.42.0.2:8080`,
    ]);
    expect(r.nat.has(sepChain("default/web:http", "tcp", "10.42.0.4:8080"))).toBe(false);
    // the node-port jump is the last rule of KUBE-SERVICES
    expect(rulesOf(r.nat, "KUBE-SERVICES").at(-1)).toContain("-j KUBE-NODEPORTS");
    expect(rulesOf(r.filter, "KUBE-SERVICES")).toEqual([]);
  });

  test("no endpoints: REJECT in filter, nothing in nat", () => {
    const np = svc("default", "web", { type: "NodePort", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }] });
    const r = renderRules(cfg, { services: [np], slices: [] });
    expect(rulesOf(r.filter, "KUBE-SERVICES")).toEqual([
      '-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.43.0.20/32 --dport 80 -j REJECT',
    ]);
    expect(rulesOf(r.filter, "KUBE-EXTERNAL-SERVICES")).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]);
    expect(rulesOf(r.nat, "KUBE-SERVICES").length).toBe(1);
    expect(r.nat.has(svcChain("default/web:http", "tcp"))).toBe(false);
  });

  test("NodePort with externalTrafficPolicy Cluster masquerades and uses the service chain", () => {
    const np = svc("default", "web", { type: "NodePort", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }] });
    const r = renderRules(cfg, { services: [np], slices: [webEps] });
    const ext = extChain("default/web:http", "tcp");
    expect(rulesOf(r.nat, "KUBE-NODEPORTS")).toEqual([`-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j ${ext}`]);
    expect(rulesOf(r.nat, ext)).toEqual([
      `-A ${ext} -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ`,
      `-A ${ext} -j ${svcChain("default/web:http", "tcp")}`,
    ]);
  });

  test("externalTrafficPolicy Local sends outside traffic to local endpoints only", () => {
    const np = svc("default", "web", { type: "NodePort", externalTrafficPolicy: "Local", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, nodePort: 30080 }] });
    const eps = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.2" }, { ip: "10.42.1.2", node: "node2" }]);
    const r = renderRules(cfg, { services: [np], slices: [eps] });
    const ext = extChain("default/web:http", "tcp");
    const svl = svlChain("default/web:http", "tcp");
    expect(rulesOf(r.nat, ext).at(-1)).toBe(`-A ${ext} -j ${svl}`);
    expect(rulesOf(r.nat, ext)[0]).toContain("-s 10.42.0.0/16 -j KUBE-SVC-");
    expect(rulesOf(r.nat, svl)).toEqual([`-A ${svl} -m comment --comment "default/web:http -> 10.42.0.2:8080" -j ${sepChain("default/web:http", "tcp", "10.42.0.2:8080")}`]);
    expect(rulesOf(r.nat, svcChain("default/web:http", "tcp")).filter((l) => l.includes("-j KUBE-SEP-")).length).toBe(2);
  });

  test("externalTrafficPolicy Local with no local endpoints drops external traffic", () => {
    const np = svc("default", "web", { type: "NodePort", externalTrafficPolicy: "Local", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80, nodePort: 30080 }] });
    const eps = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.1.2", node: "node2" }]);
    const r = renderRules(cfg, { services: [np], slices: [eps] });
    expect(rulesOf(r.filter, "KUBE-EXTERNAL-SERVICES")[0]).toContain('"default/web:http has no local endpoints"');
    expect(rulesOf(r.filter, "KUBE-EXTERNAL-SERVICES")[0]).toEndWith("-j DROP");
    expect(rulesOf(r.nat, "KUBE-SERVICES")[0]).toContain("cluster IP");
  });

  test("internalTrafficPolicy Local uses the SVL chain for the cluster IP", () => {
    const s = svc("default", "web", { internalTrafficPolicy: "Local", clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80 }] });
    const eps = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.2" }, { ip: "10.42.1.2", node: "node2" }]);
    const r = renderRules(cfg, { services: [s], slices: [eps] });
    const svl = svlChain("default/web:http", "tcp");
    expect(rulesOf(r.nat, "KUBE-SERVICES")[0]).toEndWith(`-j ${svl}`);
    expect(r.nat.has(svcChain("default/web:http", "tcp"))).toBe(false);
    expect(rulesOf(r.nat, svl).filter((l) => l.includes("KUBE-SEP-")).length).toBe(1);
  });

  test("ClientIP affinity adds recent-match rules", () => {
    const s = svc("default", "web", { sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80 }] });
    const r = renderRules(cfg, { services: [s], slices: [webEps] });
    const c = svcChain("default/web:http", "tcp");
    const sep2 = sepChain("default/web:http", "tcp", "10.42.0.2:8080");
    expect(rulesOf(r.nat, c)[1]).toBe(`-A ${c} -m comment --comment "default/web:http -> 10.42.0.2:8080" -m recent --name ${sep2} --rcheck --seconds 60 --reap -j ${sep2}`);
    expect(rulesOf(r.nat, sep2)[1]).toContain(`-m recent --name ${sep2} --set -m tcp -p tcp -j DNAT`);
  });

  test("externalIPs, load balancer ingress and source ranges", () => {
    const s = svc(
      "default",
      "web",
      { type: "LoadBalancer", clusterIP: "10.43.0.20", externalIPs: ["203.0.113.5"], loadBalancerSourceRanges: ["198.51.100.0/24"], ports: [{ name: "http", port: 80, nodePort: 30080 }] },
      { loadBalancer: { ingress: [{ ip: "192.168.1.10" }] } },
    );
    const r = renderRules(cfg, { services: [s], slices: [webEps] });
    const ks = rulesOf(r.nat, "KUBE-SERVICES");
    const fw = fwChain("default/web:http", "tcp");
    expect(ks).toContain(`-A KUBE-SERVICES -m comment --comment "default/web:http external IP" -m tcp -p tcp -d 203.0.113.5/32 --dport 80 -j ${extChain("default/web:http", "tcp")}`);
    expect(ks).toContain(`-A KUBE-SERVICES -m comment --comment "default/web:http loadbalancer IP" -m tcp -p tcp -d 192.168.1.10/32 --dport 80 -j ${fw}`);
    expect(rulesOf(r.nat, fw)).toEqual([`-A ${fw} -m comment --comment "default/web:http loadbalancer IP" -s 198.51.100.0/24 -j ${extChain("default/web:http", "tcp")}`]);
    expect(rulesOf(r.filter, "KUBE-PROXY-FIREWALL")[0]).toContain("-d 192.168.1.10/32 --dport 80 -j DROP");
  });

  test("ExternalName and headless services get no rules; UDP endpoints are tracked", () => {
    const en = svc("default", "ext", { type: "ExternalName", externalName: "example.com" });
    const hl = svc("default", "hl", { clusterIP: "None", ports: [{ port: 80 }] });
    const dns = svc("kube-system", "kube-dns", { clusterIP: "10.43.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }] });
    const dnsEps = slice("kube-system", "kube-dns", [{ name: "dns", port: 5353, protocol: "UDP" }], [{ ip: "192.168.1.10" }]);
    const r = renderRules(cfg, { services: [en, hl, dns], slices: [slice("default", "hl", [{ port: 80 }], [{ ip: "10.42.0.9" }]), dnsEps] });
    expect(rulesOf(r.nat, "KUBE-SERVICES").length).toBe(2);
    expect(rulesOf(r.nat, "KUBE-SERVICES")[0]).toContain("-m udp -p udp -d 10.43.0.10/32 --dport 53");
    expect([...r.udpEndpoints]).toEqual(["192.168.1.10:5353"]);
    expect([...r.udpServiceIPs]).toEqual(["10.43.0.10:53"]);
  });

  test("rendering is deterministic regardless of input order", () => {
    const other = svc("default", "api", { clusterIP: "10.43.0.30", ports: [{ port: 443 }] });
    const a = renderRules(cfg, { services: [web, other], slices: [webEps] });
    const b = renderRules(cfg, { services: [other, web], slices: [webEps] });
    expect(restoreText(a)).toBe(restoreText(b));
  });
});

describe("restoreText", () => {
  const web = svc("default", "web", { clusterIP: "10.43.0.20", ports: [{ name: "http", port: 80 }] });
  const eps1 = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.2" }, { ip: "10.42.0.3" }]);
  const eps2 = slice("default", "web", [{ name: "http", port: 8080 }], [{ ip: "10.42.0.2" }]);

  test("full sync writes all chains and deletes stale owned chains only", () => {
    const r = renderRules(cfg, { services: [web], slices: [eps1] });
    const text = restoreText(r, { existing: { nat: new Set(["KUBE-SVC-AAAAAAAAAAAAAAAA", "KUBUN-HOSTPORTS", "PREROUTING"]), filter: new Set() } });
    expect(text.startsWith("*filter\n:KUBE-SERVICES - [0:0]\n")).toBe(true);
    expect(text).toContain("*nat\n:KUBE-SERVICES - [0:0]\n");
    expect(text).toContain("-X KUBE-SVC-AAAAAAAAAAAAAAAA\n");
    expect(text).not.toContain("KUBUN-HOSTPORTS");
    expect(text.match(/^COMMIT$/gm)?.length).toBe(2);
  });

  test("incremental sync writes changed chains and removes the gone endpoint's chain", () => {
    const a = renderRules(cfg, { services: [web], slices: [eps1] });
    const b = renderRules(cfg, { services: [web], slices: [eps2] });
    const text = restoreText(b, { prev: a });
    const gone = sepChain("default/web:http", "tcp", "10.42.0.3:8080");
    const kept = sepChain("default/web:http", "tcp", "10.42.0.2:8080");
    expect(text).not.toContain("*filter");
    expect(text).toContain(`:${svcChain("default/web:http", "tcp")} - [0:0]`);
    expect(text).toContain(`-X ${gone}`);
    expect(text).not.toContain(`:${kept}`);
    expect(text).not.toContain(":KUBE-SERVICES");
    expect(restoreText(b, { prev: b })).toBe("");
  });

  test("missing jump rules are detected from iptables-save output and prepended", () => {
    const saved = parseSave(
      ["*nat", ":PREROUTING ACCEPT [0:0]", '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', "COMMIT", "*filter", "COMMIT"].join("\n"),
    );
    const miss = missingJumps(saved, JUMP_RULES);
    expect(miss.some((j) => j.table === "nat" && j.chain === "PREROUTING")).toBe(false);
    expect(miss.some((j) => j.table === "nat" && j.chain === "OUTPUT")).toBe(true);
    const r = renderRules(cfg, { services: [], slices: [] });
    expect(restoreText(r, { prev: r, missingJumps: miss })).toContain('-I OUTPUT 1 -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  });
});

describe("render cache", () => {
  test("unchanged services reuse their chains; a changed slice re-renders only its service", async () => {
    const { newRenderCache } = await import("./render.ts");
    const cache = newRenderCache();
    const a = svc("default", "a", { clusterIP: "10.43.0.2", ports: [{ port: 80 }] });
    const b = svc("default", "b", { clusterIP: "10.43.0.3", ports: [{ port: 80 }] });
    const sa = slice("default", "a", [{ port: 8080 }], [{ ip: "10.42.0.2" }]);
    const sb = slice("default", "b", [{ port: 8080 }], [{ ip: "10.42.0.3" }]);
    const r1 = renderRules(cfg, { services: [a, b], slices: [sa, sb] }, cache);
    const sb2 = slice("default", "b", [{ port: 8080 }], [{ ip: "10.42.0.4" }]);
    const r2 = renderRules(cfg, { services: [a, b], slices: [sa, sb2] }, cache);
    expect(r2.nat.get(svcChain("default/a", "tcp"))).toBe(r1.nat.get(svcChain("default/a", "tcp"))!);
    expect(r2.nat.get(svcChain("default/b", "tcp"))).not.toBe(r1.nat.get(svcChain("default/b", "tcp"))!);
    // same text as an uncached render
    expect(restoreText(r2)).toBe(restoreText(renderRules(cfg, { services: [a, b], slices: [sa, sb2] })));
    const delta = restoreText(r2, { prev: r1 });
    expect(delta).toContain(`-X ${sepChain("default/b", "tcp", "10.42.0.3:8080")}`);
    expect(delta).not.toContain(sepChain("default/a", "tcp", "10.42.0.2:8080"));
  });
});

describe("restoreBatches", () => {
  test("batches go bottom-up: every jump targets a chain created in an earlier or the same batch; stale chains go last", async () => {
    const { restoreBatches } = await import("./restore.ts");
    const services = Array.from({ length: 6 }, (_, i) => svc("default", `s${i}`, { type: "NodePort", clusterIP: `10.43.0.${i + 2}`, ports: [{ port: 80, nodePort: 30000 + i }] }));
    const slices = services.map((_, i) => slice("default", `s${i}`, [{ port: 8080 }], [{ ip: `10.42.0.${i + 2}` }, { ip: `10.42.1.${i + 2}` }]));
    const r = renderRules(cfg, { services, slices });
    const batches = restoreBatches(r, { existing: { nat: new Set(["KUBE-SEP-AAAAAAAAAAAAAAAA"]), filter: new Set() } }, 4);
    expect(batches.length).toBeGreaterThan(4);
    const created = new Set<string>();
    batches.forEach((b, i) => {
      for (const m of b.matchAll(/^:(\S+) /gm)) created.add(m[1]!);
      for (const m of b.matchAll(/-j (KUBE-[A-Z0-9-]+)/g)) expect(created.has(m[1]!)).toBe(true);
      expect(b.includes("-X ")).toBe(i === batches.length - 1);
    });
    // together they carry exactly the single-transaction rules
    const rules = (t: string) => t.split("\n").filter((l) => l.startsWith("-A ")).sort();
    expect(rules(batches.join(""))).toEqual(rules(restoreText(r)));
  });
  test("a full sync keeps each service's chains together: jump targets are declared in the same batch", async () => {
    const { restoreBatches } = await import("./restore.ts");
    const services = Array.from({ length: 8 }, (_, i) => svc("default", `s${i}`, { type: "NodePort", clusterIP: `10.43.0.${i + 2}`, ports: [{ port: 80, nodePort: 30000 + i }] }));
    const slices = services.map((_, i) => slice("default", `s${i}`, [{ port: 8080 }], [{ ip: `10.42.0.${i + 2}` }, { ip: `10.42.1.${i + 2}` }, { ip: `10.42.2.${i + 2}` }]));
    const batches = restoreBatches(renderRules(cfg, { services, slices }), {}, 10);
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches.slice(0, -1)) {
      const declared = new Set([...b.matchAll(/^:(\S+) /gm)].map((m) => m[1]!));
      expect(declared.size).toBeLessThanOrEqual(10);
      for (const m of b.matchAll(/-j (KUBE-(?:SVC|SEP|EXT)-[A-Z2-7]+)/g)) expect(declared.has(m[1]!)).toBe(true);
    }
  });
});
