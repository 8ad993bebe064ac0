import { describe, expect, test } from "bun:test";
import { renderPolicies, TOP_CHAIN } from "./render.ts";
import { policyRestoreText } from "./enforcer.ts";
import { parseSave } from "../proxy/restore.ts";
import { pod, policy, ns } from "./testdata.ts";

const pods = [
  pod("default", "web", "10.42.0.2", { app: "web" }, [{ name: "http", containerPort: 8080 }]),
  pod("default", "client", "10.42.0.4", { role: "client" }),
  pod("default", "other", "10.42.0.3", { role: "other" }),
  pod("prod", "remote", "10.42.1.5", { role: "client" }, [], "node2"),
];
const namespaces = [ns("default"), ns("prod", { env: "prod" })];
const lines = (m: Map<string, string[]>) => [...m.values()].flat();

describe("renderPolicies", () => {
  test("no policies: only the empty top chain, nothing per pod", () => {
    const r = renderPolicies({ nodeName: "node1", policies: [], pods, namespaces });
    expect([...r.chains.keys()]).toEqual([TOP_CHAIN]);
    expect(r.chains.get(TOP_CHAIN)).toEqual([]);
  });

  test("deny-all ingress selects the pod and ends in REJECT", () => {
    const r = renderPolicies({ nodeName: "node1", policies: [policy("default", "deny", { podSelector: { matchLabels: { app: "web" } }, ingress: [] })], pods, namespaces });
    const top = r.chains.get(TOP_CHAIN)!;
    expect(top).toHaveLength(1);
    expect(top[0]).toMatch(/^-A KUBUN-NETPOL -d 10\.42\.0\.2\/32 -m comment --comment "ingress policies of default\/web" -j KUBUN-NPI-[A-Z2-7]{16}$/);
    const chain = top[0]!.split(" -j ")[1]!;
    const rules = r.chains.get(chain)!;
    expect(rules[1]).toContain("--ctstate RELATED,ESTABLISHED -j RETURN");
    expect(rules.at(-1)).toBe(`-A ${chain} -m comment --comment "default deny ingress for default/web" -j REJECT`);
    expect(rules.filter((l) => l.includes("--set-xmark 0x10000/0x10000"))).toEqual([]);
  });

  test("podSelector, namespaceSelector, named port and endPort", () => {
    const pol = policy("default", "allow", {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { role: "client" } } }], ports: [{ port: "http" }] },
        { from: [{ namespaceSelector: { matchLabels: { env: "prod" } } }], ports: [{ protocol: "UDP", port: 5000, endPort: 5010 }] },
      ],
    });
    const all = lines(renderPolicies({ nodeName: "node1", policies: [pol], pods, namespaces }).chains);
    expect(all.some((l) => l.includes("-s 10.42.0.4/32 -m tcp -p tcp --dport 8080") && l.includes("rule 0"))).toBe(true);
    expect(all.some((l) => l.includes("-s 10.42.0.3/32"))).toBe(false); // other role, same namespace
    expect(all.some((l) => l.includes("-s 10.42.1.5/32 -m udp -p udp --dport 5000:5010"))).toBe(true);
  });

  test("ipBlock with except goes through a block chain; egress policies match by destination", () => {
    const pol = policy("default", "egress", {
      podSelector: { matchLabels: { role: "client" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.42.0.3/32"] } }] }],
    });
    const r = renderPolicies({ nodeName: "node1", policies: [pol], pods, namespaces });
    const top = r.chains.get(TOP_CHAIN)!;
    expect(top).toHaveLength(1);
    expect(top[0]).toContain("-s 10.42.0.4/32");
    expect(top[0]).toContain("-j KUBUN-NPE-");
    const block = [...r.chains.keys()].find((c) => c.startsWith("KUBUN-NPB-"))!;
    expect(r.chains.get(block)).toEqual([`-A ${block} -d 10.42.0.3/32 -j RETURN`, `-A ${block} -j MARK --set-xmark 0x10000/0x10000`]);
    expect(lines(r.chains).some((l) => l.includes(`-d 10.0.0.0/8 `) && l.endsWith(`-j ${block}`))).toBe(true);
  });

  test("only local pods get chains; ingress policy does not isolate egress", () => {
    const pol = policy("prod", "deny", { podSelector: {}, ingress: [] });
    expect(renderPolicies({ nodeName: "node1", policies: [pol], pods, namespaces }).chains.size).toBe(1);
    expect(renderPolicies({ nodeName: "node2", policies: [pol], pods, namespaces }).chains.size).toBe(2);
  });

  test("restore text hooks FORWARD and OUTPUT once and deletes stale chains", () => {
    const saved = parseSave(["*filter", ":FORWARD ACCEPT [0:0]", ":KUBUN-NETPOL - [0:0]", ":KUBUN-NPI-AAAAAAAAAAAAAAAA - [0:0]", '-A FORWARD -m comment --comment "kubun network policies" -j KUBUN-NETPOL', "COMMIT"].join("\n"));
    const text = policyRestoreText({ nodeName: "node1", policies: [], pods, namespaces }, saved);
    expect(text).toContain("-X KUBUN-NPI-AAAAAAAAAAAAAAAA");
    expect(text).not.toContain("-I FORWARD");
    expect(text).toContain('-I OUTPUT 1 -m comment --comment "kubun network policies" -j KUBUN-NETPOL');
  });
});
