import { describe, expect, test } from "bun:test";
import { etcHosts, podHostname, resolvConf } from "./dns.ts";

const d = { clusterDNS: "10.43.0.10", clusterDomain: "cluster.local", hostResolvConf: "nameserver 1.1.1.1\nsearch example.com\noptions edns0\n" };
const pod = (spec: any = {}) => ({ metadata: { name: "web-0", namespace: "shop" }, spec });

describe("resolv.conf", () => {
  test("ClusterFirst", () => {
    expect(resolvConf(pod(), d)).toBe("search shop.svc.cluster.local svc.cluster.local cluster.local example.com\nnameserver 10.43.0.10\noptions ndots:5\n");
  });
  test("Default and hostNetwork take the node's", () => {
    expect(resolvConf(pod({ dnsPolicy: "Default" }), d)).toBe("search example.com\nnameserver 1.1.1.1\noptions edns0\n");
    expect(resolvConf(pod({ hostNetwork: true }), d)).toContain("nameserver 1.1.1.1");
    expect(resolvConf(pod({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" }), d)).toContain("nameserver 10.43.0.10");
  });
  test("None + dnsConfig, options merged", () => {
    const t = resolvConf(pod({ dnsPolicy: "None", dnsConfig: { nameservers: ["9.9.9.9"], searches: ["a.b"], options: [{ name: "ndots", value: "2" }, { name: "edns0" }] } }), d);
    expect(t).toBe("search a.b\nnameserver 9.9.9.9\noptions ndots:2 edns0\n");
    expect(resolvConf(pod({ dnsConfig: { options: [{ name: "ndots", value: "1" }] } }), d)).toContain("options ndots:1\n");
  });
});

describe("hosts", () => {
  test("pod ip, hostname/subdomain and aliases", () => {
    const p = pod({ hostname: "h", subdomain: "sub", hostAliases: [{ ip: "1.2.3.4", hostnames: ["foo", "bar"] }] });
    expect(podHostname(p, "cluster.local")).toEqual({ hostname: "h", fqdn: "h.sub.shop.svc.cluster.local" });
    const t = etcHosts(p, ["10.42.0.7"], "cluster.local");
    expect(t).toContain("10.42.0.7\th.sub.shop.svc.cluster.local\th\n");
    expect(t).toContain("# Entries added by HostAliases.\n1.2.3.4\tfoo\tbar\n");
    expect(etcHosts(pod(), ["10.42.0.8"], "cluster.local")).toContain("10.42.0.8\tweb-0\n");
  });
});
