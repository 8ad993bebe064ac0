// iptables for pod traffic: masquerade leaving the cluster CIDR, and hostPort DNAT. Rules are rendered
// as whole chains (pure, testable) and applied with one `iptables-restore --noflush`.
import { existsSync } from "node:fs";
import { sh, shOk } from "./exec.ts";

export interface HostPort {
  podIP: string;
  hostPort: number;
  containerPort: number;
  protocol: "TCP" | "UDP" | "SCTP";
  hostIP?: string;
  /** pod namespace/name, for the rule comment */
  pod: string;
}

/** Use the backend the host already uses (rules in legacy tables mean legacy); never mix them. */
export async function detectIptables(): Promise<{ restore: string; save: string; bin: string }> {
  const has = (b: string) => existsSync(`/usr/sbin/${b}`) || existsSync(`/sbin/${b}`);
  if (has("iptables-legacy-save")) {
    const legacy = await sh(["iptables-legacy-save"]).catch(() => "");
    if (/^-A /m.test(legacy) && has("iptables-legacy")) return { bin: "iptables-legacy", save: "iptables-legacy-save", restore: "iptables-legacy-restore" };
  }
  if (has("iptables-nft")) return { bin: "iptables-nft", save: "iptables-nft-save", restore: "iptables-nft-restore" };
  return { bin: "iptables", save: "iptables-save", restore: "iptables-restore" };
}

/** The nat table text: KUBUN-POSTROUTING (masquerade) and KUBUN-HOSTPORTS (DNAT), hooked once. */
export function renderNat(clusterCIDR: string, hostPorts: HostPort[], hooks: { post: boolean; pre: boolean; out: boolean }): string {
  const l = ["*nat", ":KUBUN-POSTROUTING - [0:0]", ":KUBUN-HOSTPORTS - [0:0]", ":KUBUN-HP-MASQ - [0:0]"];
  if (!hooks.post) l.push('-A POSTROUTING -m comment --comment "kubun pod masquerade" -j KUBUN-POSTROUTING');
  if (!hooks.pre) l.push('-A PREROUTING -m comment --comment "kubun hostports" -m addrtype --dst-type LOCAL -j KUBUN-HOSTPORTS');
  if (!hooks.out) l.push('-A OUTPUT -m comment --comment "kubun hostports" -m addrtype --dst-type LOCAL -j KUBUN-HOSTPORTS');
  l.push(`-A KUBUN-POSTROUTING -s ${clusterCIDR} ! -d ${clusterCIDR} -m comment --comment "pod traffic leaving the cluster" -j MASQUERADE --random-fully`);
  // hostPort traffic from the node itself (or hairpinned) needs a source the pod can answer
  l.push("-A KUBUN-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE");
  l.push("-A KUBUN-HP-MASQ -j MARK --set-xmark 0x4000/0x4000");
  for (const h of hostPorts) {
    const proto = h.protocol.toLowerCase();
    const dst = h.hostIP && h.hostIP !== "0.0.0.0" ? ` -d ${h.hostIP}/32` : "";
    const c = `-m comment --comment "${h.pod} hostport ${h.hostPort}"`;
    l.push(`-A KUBUN-HOSTPORTS -p ${proto}${dst} -m ${proto} --dport ${h.hostPort} -s 127.0.0.0/8 ${c} -j KUBUN-HP-MASQ`);
    l.push(`-A KUBUN-HOSTPORTS -p ${proto}${dst} -m ${proto} --dport ${h.hostPort} -s ${h.podIP}/32 ${c} -j KUBUN-HP-MASQ`);
    l.push(`-A KUBUN-HOSTPORTS -p ${proto}${dst} -m ${proto} --dport ${h.hostPort} ${c} -j DNAT --to-destination ${h.podIP}:${h.containerPort}`);
  }
  l.push("COMMIT", "");
  return l.join("\n");
}

export class NatRules {
  private last = "";
  constructor(private readonly tools: { restore: string; save: string; bin: string }, private readonly clusterCIDR: string) {}

  async apply(hostPorts: HostPort[]): Promise<void> {
    const cur = await sh([this.tools.save, "-t", "nat"]);
    const hooks = {
      post: /^-A POSTROUTING .*-j KUBUN-POSTROUTING/m.test(cur),
      pre: /^-A PREROUTING .*-j KUBUN-HOSTPORTS/m.test(cur),
      out: /^-A OUTPUT .*-j KUBUN-HOSTPORTS/m.test(cur),
    };
    const text = renderNat(this.clusterCIDR, hostPorts, hooks);
    if (text === this.last && hooks.post && hooks.pre && hooks.out) return;
    await sh([this.tools.restore, "--noflush"], text);
    this.last = text;
  }

  /** route_localnet lets OUTPUT-DNATed 127.0.0.1 traffic leave for the pod. */
  static async localnet(): Promise<void> {
    await shOk(["sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1"]);
  }
}
