// NetworkPolicy → iptables filter rules, per local pod, in the manner of kube-router (k3s's
// policy controller): a pod selected by an Ingress (Egress) policy gets a chain that returns
// for allowed traffic and REJECTs the rest; pods no policy selects are not touched.
// Pure: (policies, pods, namespaces) → chains.
import { createHash } from "node:crypto";
import type { KubeObject } from "../api/types.ts";
import { labelSelectorFromSpec, matchesLabels, type LabelSelector } from "../api/selectors/labels.ts";

export const TOP_CHAIN = "KUBUN-NETPOL";
export const ALLOW_MARK = "0x10000";
/** Hooked first in FORWARD (pod↔pod, bridged or routed) and OUTPUT (node→pod is allowed inside). */
export const NETPOL_JUMPS = [
  { chain: "FORWARD", spec: '-m comment --comment "kubun network policies" -j KUBUN-NETPOL' },
  { chain: "OUTPUT", spec: '-m comment --comment "kubun network policies" -j KUBUN-NETPOL' },
];
export const OWNED = /^KUBUN-(NETPOL|NPI-[A-Z2-7]{16}|NPE-[A-Z2-7]{16}|NPB-[A-Z2-7]{16})$/;

export interface PolicyInput {
  nodeName: string;
  policies: KubeObject[];
  pods: KubeObject[];
  namespaces: KubeObject[];
}

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function hash16(s: string): string {
  const d = createHash("sha256").update(s).digest();
  let out = "";
  for (let i = 0; out.length < 16; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const v = ((d[byte]! << 8) | (d[byte + 1] ?? 0)) >> (11 - (bit & 7));
    out += B32[v & 31];
  }
  return out;
}

interface PodInfo {
  ns: string;
  name: string;
  ip: string;
  labels: Record<string, string>;
  local: boolean;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

function podInfos(pods: KubeObject[], nodeName: string): PodInfo[] {
  const out: PodInfo[] = [];
  for (const p of pods) {
    const ip = p.status?.podIP;
    if (!ip || p.spec?.hostNetwork || /^(Succeeded|Failed)$/.test(p.status?.phase ?? "")) continue;
    const ports = ((p.spec?.containers ?? []) as any[]).flatMap((c) => ((c.ports ?? []) as any[]).filter((x) => x.name).map((x) => ({ name: x.name, port: x.containerPort, protocol: x.protocol ?? "TCP" })));
    out.push({ ns: p.metadata?.namespace ?? "default", name: p.metadata?.name ?? "", ip, labels: p.metadata?.labels ?? {}, local: p.spec?.nodeName === nodeName, ports });
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

function sel(spec: unknown): LabelSelector {
  try {
    return labelSelectorFromSpec(spec as any);
  } catch {
    return { requirements: [], nothing: true } as LabelSelector;
  }
}

type Peer = { kind: "pods"; pods: PodInfo[] } | { kind: "block"; cidr: string; except: string[] } | { kind: "any" };

function peersOf(list: any[] | undefined, policyNs: string, pods: PodInfo[], nsLabels: Map<string, Record<string, string>>): Peer[] {
  if (!list || list.length === 0) return [{ kind: "any" }];
  const out: Peer[] = [];
  for (const p of list) {
    if (p.ipBlock) {
      out.push({ kind: "block", cidr: p.ipBlock.cidr, except: p.ipBlock.except ?? [] });
      continue;
    }
    const podSel = p.podSelector ? sel(p.podSelector) : undefined;
    const nsSel = p.namespaceSelector ? sel(p.namespaceSelector) : undefined;
    const inNs = (pod: PodInfo) => (nsSel ? matchesLabels(nsSel, nsLabels.get(pod.ns) ?? { "kubernetes.io/metadata.name": pod.ns }) : pod.ns === policyNs);
    out.push({ kind: "pods", pods: pods.filter((pod) => inNs(pod) && (!podSel || matchesLabels(podSel, pod.labels))) });
  }
  return out;
}

/** "-m tcp -p tcp --dport N[:M]" variants for a rule's ports; `named` resolves a port name for a pod. */
function portMatches(ports: any[] | undefined, named: ((name: string, proto: string) => number | undefined) | undefined): string[] | undefined {
  if (!ports || ports.length === 0) return [""];
  const out: string[] = [];
  for (const p of ports) {
    const proto = String(p.protocol ?? "TCP").toLowerCase();
    if (p.port === undefined || p.port === null) {
      out.push(`-p ${proto}`);
      continue;
    }
    const num = typeof p.port === "number" ? p.port : named?.(p.port, proto);
    if (num === undefined) continue;
    out.push(`-m ${proto} -p ${proto} --dport ${p.endPort && typeof p.port === "number" ? `${num}:${p.endPort}` : num}`);
  }
  return out.length ? out : undefined;
}

const namedOf = (pod: PodInfo) => (name: string, proto: string) => pod.ports.find((x) => x.name === name && x.protocol.toLowerCase() === proto)?.port;

export interface PolicyRules {
  /** chain → rules ("-A …" lines), in the filter table */
  chains: Map<string, string[]>;
}

export function renderPolicies(input: PolicyInput): PolicyRules {
  const chains = new Map<string, string[]>();
  const add = (c: string, r: string) => (chains.get(c) ?? chains.set(c, []).get(c)!).push(`-A ${c} ${r}`);
  chains.set(TOP_CHAIN, []);
  const pods = podInfos(input.pods, input.nodeName);
  const nsLabels = new Map<string, Record<string, string>>();
  for (const n of input.namespaces) nsLabels.set(n.metadata?.name ?? "", { "kubernetes.io/metadata.name": n.metadata?.name ?? "", ...(n.metadata?.labels ?? {}) });
  const policies = [...input.policies].sort((a, b) => `${a.metadata?.namespace}/${a.metadata?.name}` < `${b.metadata?.namespace}/${b.metadata?.name}` ? -1 : 1);

  for (const pod of pods.filter((p) => p.local)) {
    for (const dir of ["Ingress", "Egress"] as const) {
      const selecting = policies.filter((pol) => {
        if (pol.metadata?.namespace !== pod.ns || !matchesLabels(sel(pol.spec?.podSelector ?? {}), pod.labels)) return false;
        const types: string[] = pol.spec?.policyTypes ?? (pol.spec?.egress ? ["Ingress", "Egress"] : ["Ingress"]);
        return types.includes(dir);
      });
      if (selecting.length === 0) continue;
      const id = `${pod.ns}/${pod.name}`;
      const chain = `KUBUN-${dir === "Ingress" ? "NPI" : "NPE"}-${hash16(`${id}|${dir}`)}`;
      const self = dir === "Ingress" ? `-d ${pod.ip}/32` : `-s ${pod.ip}/32`;
      const peerFlag = dir === "Ingress" ? "-s" : "-d";
      add(TOP_CHAIN, `${self} -m comment --comment "${dir.toLowerCase()} policies of ${id}" -j ${chain}`);
      add(chain, `-j MARK --set-xmark 0x0/${ALLOW_MARK}`);
      add(chain, "-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
      // the node itself (kubelet probes, masqueraded service traffic) is always allowed, as in kube-router
      if (dir === "Ingress") add(chain, "-m addrtype --src-type LOCAL -j RETURN");
      const allow = `-j MARK --set-xmark ${ALLOW_MARK}/${ALLOW_MARK}`;
      for (const pol of selecting) {
        const pname = `${pol.metadata?.namespace}/${pol.metadata?.name}`;
        const rules: any[] = (dir === "Ingress" ? pol.spec?.ingress : pol.spec?.egress) ?? [];
        rules.forEach((rule, ri) => {
          const c = `-m comment --comment "${pname} ${dir.toLowerCase()} rule ${ri}"`;
          for (const peer of peersOf(dir === "Ingress" ? rule.from : rule.to, pol.metadata?.namespace ?? "", pods, nsLabels)) {
            if (peer.kind === "pods") {
              for (const pp of peer.pods) {
                // named ports resolve against the pod receiving the traffic
                const ms = portMatches(rule.ports, namedOf(dir === "Ingress" ? pod : pp));
                for (const m of ms ?? []) add(chain, `${peerFlag} ${pp.ip}/32 ${m ? m + " " : ""}${c} ${allow}`.replace(/ +/g, " "));
              }
              continue;
            }
            const ms = portMatches(rule.ports, dir === "Ingress" ? namedOf(pod) : undefined);
            for (const m of ms ?? []) {
              if (peer.kind === "any") add(chain, `${m ? m + " " : ""}${c} ${allow}`);
              else if (peer.except.length === 0) add(chain, `${peerFlag} ${peer.cidr} ${m ? m + " " : ""}${c} ${allow}`);
              else {
                const block = `KUBUN-NPB-${hash16(`${chain}|${pname}|${ri}|${peer.cidr}|${peer.except.join(",")}`)}`;
                if (!chains.has(block)) {
                  chains.set(block, []);
                  for (const ex of peer.except) add(block, `${peerFlag} ${ex} -j RETURN`);
                  add(block, allow);
                }
                add(chain, `${peerFlag} ${peer.cidr} ${m ? m + " " : ""}${c} -j ${block}`);
              }
            }
          }
        });
      }
      add(chain, `-m mark --mark ${ALLOW_MARK}/${ALLOW_MARK} -j RETURN`);
      add(chain, `-m comment --comment "default deny ${dir.toLowerCase()} for ${id}" -j REJECT`);
    }
  }
  return { chains };
}
