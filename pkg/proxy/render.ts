// The pure renderer: Services + EndpointSlices → every nat and filter chain kube-proxy's
// iptables mode would program (proxier.go syncProxyRules), chain by chain.
import type { ChainMap, JumpRule, ProxyConfig, ProxyState, RuleSet } from "./types.ts";
import { extChain, fwChain, sepChain, svcChain, svlChain } from "./hash.ts";
import type { KubeObject } from "../api/types.ts";
import { groupSlices, serviceKey, servicePortsOf, sortedServices, type Endpoint, type ServicePort } from "./model.ts";

/** One Service's contribution: its own chains plus its lines in the shared chains. */
interface Fragment {
  nat: ChainMap;
  filter: ChainMap;
  udpEndpoints: string[];
  udpServiceIPs: string[];
}

/**
 * Memo of rendered Services keyed by object identity: informer objects are immutable and
 * replaced on change, so an unchanged Service with unchanged slices renders to the same
 * fragment (kube-proxy's change tracker, reduced to what a pure renderer needs).
 */
export type RenderCache = WeakMap<KubeObject, { slices: KubeObject[]; cfg: ProxyConfig; large: boolean; endpoints: number; frag: Fragment }>;
export const newRenderCache = (): RenderCache => new WeakMap();

export const MASQ_MARK = "0x4000";

/**
 * Above this many endpoints kube-proxy drops the per-endpoint comments ("large cluster
 * mode"): on iptables-nft each comment is an xt match the kernel re-validates on every commit.
 */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** The rules that hook our chains into the built-in ones (kube-proxy's iptablesJumpChains). */
export const JUMP_RULES: JumpRule[] = [
  { table: "filter", chain: "INPUT", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", chain: "INPUT", spec: '-m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS' },
  { table: "filter", chain: "INPUT", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES' },
  { table: "filter", chain: "FORWARD", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", chain: "FORWARD", spec: '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD' },
  { table: "filter", chain: "FORWARD", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "filter", chain: "FORWARD", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES' },
  { table: "filter", chain: "OUTPUT", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL' },
  { table: "filter", chain: "OUTPUT", spec: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", chain: "OUTPUT", spec: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", chain: "PREROUTING", spec: '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES' },
  { table: "nat", chain: "POSTROUTING", spec: '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING' },
];

/** Chains whose names say they belong to the proxy (stale ones are deleted on a full sync). */
export const OWNED_CHAIN = /^KUBE-(SVC|SVL|SEP|EXT|FW)-[A-Z2-7]{16}$|^KUBE-(SERVICES|NODEPORTS|POSTROUTING|MARK-MASQ|EXTERNAL-SERVICES|FORWARD|PROXY-FIREWALL)$/;

const q = (s: string) => (/[\s"]/.test(s) ? `"${s}"` : s);
const prob = (n: number) => (1 / n).toFixed(10);

/** Ready endpoints; if none, the serving-and-terminating ones (kube-proxy's fallback). */
function usable(eps: Endpoint[]): Endpoint[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

export function renderRules(cfg: ProxyConfig, state: ProxyState, cache?: RenderCache): RuleSet {
  const nat: ChainMap = new Map();
  const filter: ChainMap = new Map();
  const add = (m: ChainMap, chain: string, rule: string) => {
    let l = m.get(chain);
    if (!l) m.set(chain, (l = []));
    if (rule) l.push(`-A ${chain} ${rule}`);
  };
  for (const c of ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]) add(nat, c, "");
  for (const c of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"]) add(filter, c, "");

  add(nat, "KUBE-POSTROUTING", `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`);
  // the mark is cleared so a re-traversal (e.g. over a bridge) does not masquerade twice
  add(nat, "KUBE-POSTROUTING", `-j MARK --xor-mark ${MASQ_MARK}`);
  add(nat, "KUBE-POSTROUTING", '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully');
  add(nat, "KUBE-MARK-MASQ", `-j MARK --or-mark ${MASQ_MARK}`);
  add(filter, "KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP");
  add(filter, "KUBE-FORWARD", `-m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`);
  add(filter, "KUBE-FORWARD", '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');

  const udpEndpoints = new Set<string>();
  const udpServiceIPs = new Set<string>();
  const bySvc = groupSlices(state.slices);
  // first pass: the endpoint total decides the mode, as kube-proxy's syncProxyRules does
  const work: { svc: KubeObject; sl: KubeObject[]; hit?: NonNullable<ReturnType<RenderCache["get"]>>; sps?: ServicePort[]; endpoints: number }[] = [];
  let total = 0;
  for (const svc of sortedServices(state.services)) {
    const sl = bySvc.get(serviceKey(svc)) ?? [];
    const h = cache?.get(svc);
    const hit = h && h.cfg === cfg && h.slices.length === sl.length && h.slices.every((x, i) => x === sl[i]) ? h : undefined;
    const sps = hit ? undefined : servicePortsOf(svc, sl, cfg.nodeName);
    const endpoints = hit ? hit.endpoints : sps!.reduce((n, sp) => n + sp.endpoints.length, 0);
    total += endpoints;
    work.push({ svc, sl, hit, sps, endpoints });
  }
  const large = total > LARGE_CLUSTER_ENDPOINTS;
  for (const { svc, sl, hit, sps, endpoints } of work) {
    let frag: Fragment;
    if (hit && hit.large === large) frag = hit.frag;
    else {
      frag = { nat: new Map(), filter: new Map(), udpEndpoints: [], udpServiceIPs: [] };
      const u1 = new Set<string>();
      const u2 = new Set<string>();
      for (const sp of sps ?? servicePortsOf(svc, sl, cfg.nodeName)) renderServicePort(cfg, sp, large, frag.nat, frag.filter, add, u1, u2);
      frag.udpEndpoints = [...u1];
      frag.udpServiceIPs = [...u2];
      cache?.set(svc, { slices: sl, cfg, large, endpoints, frag });
    }
    merge(nat, frag.nat);
    merge(filter, frag.filter);
    for (const e of frag.udpEndpoints) udpEndpoints.add(e);
    for (const e of frag.udpServiceIPs) udpServiceIPs.add(e);
  }
  add(
    nat,
    "KUBE-SERVICES",
    (cfg.localhostNodePorts ? "" : "! -d 127.0.0.0/8 ") +
      '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  );
  return { nat, filter, udpEndpoints, udpServiceIPs };
}

/** Shared chains get the fragment's lines appended; its own chains are taken as they are. */
function merge(into: ChainMap, frag: ChainMap) {
  for (const [chain, lines] of frag) {
    const cur = into.get(chain);
    if (cur) cur.push(...lines);
    else into.set(chain, lines);
  }
}

type Add = (m: ChainMap, chain: string, rule: string) => void;

function renderServicePort(cfg: ProxyConfig, sp: ServicePort, large: boolean, nat: ChainMap, filter: ChainMap, add: Add, udpEps: Set<string>, udpSvc: Set<string>) {
  const { spn, protocol: p } = sp;
  const all = usable(sp.endpoints);
  const local = usable(sp.endpoints.filter((e) => e.local));
  const clusterEps = sp.internalLocal ? local : all;
  const externalEps = sp.externalLocal ? local : all;
  const svc = svcChain(spn, p);
  const svl = svlChain(spn, p);
  const ext = extChain(spn, p);
  const fw = fwChain(spn, p);
  const internalChain = sp.internalLocal ? svl : svc;
  const hasExternal = sp.nodePort > 0 || sp.externalIPs.length > 0 || sp.loadBalancerIPs.length > 0;
  const m = `-m ${p} -p ${p}`;
  const noEps = (eps: Endpoint[], isLocal: boolean) =>
    all.length === 0 ? { why: "has no endpoints", target: "REJECT" } : eps.length === 0 && isLocal ? { why: "has no local endpoints", target: "DROP" } : undefined;
  const extNone = noEps(externalEps, sp.externalLocal);
  const extUsed = hasExternal && !extNone;
  const usesSvc = all.length > 0 && (!sp.internalLocal || extUsed);
  const usesSvl = local.length > 0 && (sp.internalLocal || (extUsed && sp.externalLocal));

  // cluster IPs
  for (const ip of sp.clusterIPs) {
    const dst = `-d ${ip}/32 --dport ${sp.port}`;
    const none = noEps(clusterEps, sp.internalLocal);
    if (none) {
      add(filter, "KUBE-SERVICES", `-m comment --comment ${q(`${spn} ${none.why}`)} ${m} ${dst} -j ${none.target}`);
      continue;
    }
    if (p === "udp") udpSvc.add(`${ip}:${sp.port}`);
    add(nat, "KUBE-SERVICES", `-m comment --comment ${q(`${spn} cluster IP`)} ${m} ${dst} -j ${internalChain}`);
    add(nat, internalChain, `-m comment --comment ${q(`${spn} cluster IP`)} ${m} ${dst} ! -s ${cfg.clusterCIDR} -j KUBE-MARK-MASQ`);
  }

  // external destinations: externalIPs, load balancer ingress, node ports
  const extTarget = sp.loadBalancerSourceRanges.length > 0 ? fw : ext;
  for (const ip of sp.externalIPs) {
    const dst = `-d ${ip}/32 --dport ${sp.port}`;
    if (extNone) add(filter, "KUBE-EXTERNAL-SERVICES", `-m comment --comment ${q(`${spn} ${extNone.why}`)} ${m} ${dst} -j ${extNone.target}`);
    else add(nat, "KUBE-SERVICES", `-m comment --comment ${q(`${spn} external IP`)} ${m} ${dst} -j ${ext}`);
  }
  for (const ip of sp.loadBalancerIPs) {
    const dst = `-d ${ip}/32 --dport ${sp.port}`;
    if (extNone) {
      add(filter, "KUBE-EXTERNAL-SERVICES", `-m comment --comment ${q(`${spn} ${extNone.why}`)} ${m} ${dst} -j ${extNone.target}`);
      continue;
    }
    add(nat, "KUBE-SERVICES", `-m comment --comment ${q(`${spn} loadbalancer IP`)} ${m} ${dst} -j ${extTarget}`);
    if (extTarget === fw) {
      for (const src of sp.loadBalancerSourceRanges) add(nat, fw, `-m comment --comment ${q(`${spn} loadbalancer IP`)} -s ${src} -j ${ext}`);
      // allowed traffic was DNATed away; what still targets the LB IP here is refused
      add(filter, "KUBE-PROXY-FIREWALL", `-m comment --comment ${q(`${spn} traffic not accepted by ${fw}`)} ${m} ${dst} -j DROP`);
    }
  }
  if (sp.nodePort > 0) {
    if (extNone)
      add(filter, "KUBE-EXTERNAL-SERVICES", `-m comment --comment ${q(`${spn} ${extNone.why}`)} -m addrtype --dst-type LOCAL ${m} --dport ${sp.nodePort} -j ${extNone.target}`);
    else add(nat, "KUBE-NODEPORTS", `-m comment --comment ${q(spn)} ${m} --dport ${sp.nodePort} -j ${ext}`);
  }
  if (extUsed) {
    if (!sp.externalLocal) {
      add(nat, ext, `-m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
      add(nat, ext, `-j ${svc}`);
    } else {
      // pods and the node itself may use any endpoint; other sources keep their address and stay local
      if (all.length > 0) {
        add(nat, ext, `-m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${cfg.clusterCIDR} -j ${svc}`);
        add(nat, ext, `-m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
        add(nat, ext, `-m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svc}`);
      }
      add(nat, ext, `-j ${svl}`);
    }
  }

  // endpoint chains (names hashed once: hashing dominates a full render)
  const seps = new Map<string, string>();
  const sepOf = (id: string) => seps.get(id) ?? seps.set(id, sepChain(spn, p, id)).get(id)!;
  // kube-proxy's appendServiceCommentLocked: endpoint rules lose their comment in large mode
  const cm = (c: string) => (large ? "" : `-m comment --comment ${q(c)} `);
  if (usesSvc) spread(sp, svc, all, nat, add, sepOf, cm);
  if (usesSvl) spread(sp, svl, local, nat, add, sepOf, cm);
  const eps = new Map<string, Endpoint>();
  for (const e of [...(usesSvc ? all : []), ...(usesSvl ? local : [])]) eps.set(`${e.ip}:${e.port}`, e);
  for (const [id, e] of eps) {
    const sep = sepOf(id);
    if (p === "udp") udpEps.add(id);
    add(nat, sep, `${cm(spn)}-s ${e.ip}/32 -j KUBE-MARK-MASQ`);
    const aff = sp.affinitySeconds > 0 ? `-m recent --name ${sep} --set ` : "";
    add(nat, sep, `${cm(spn)}${aff}${m} -j DNAT --to-destination ${id}`);
  }
}

/** Probability spreading (and ClientIP affinity) over endpoint chains. */
function spread(sp: ServicePort, chain: string, eps: Endpoint[], nat: ChainMap, add: Add, sepOf: (id: string) => string, cm: (c: string) => string) {
  const { spn } = sp;
  if (sp.affinitySeconds > 0)
    for (const e of eps) {
      const id = `${e.ip}:${e.port}`;
      const sep = sepOf(id);
      add(nat, chain, `${cm(`${spn} -> ${id}`)}-m recent --name ${sep} --rcheck --seconds ${sp.affinitySeconds} --reap -j ${sep}`);
    }
  eps.forEach((e, i) => {
    const id = `${e.ip}:${e.port}`;
    const left = eps.length - i;
    const stat = left > 1 ? `-m statistic --mode random --probability ${prob(left)} ` : "";
    add(nat, chain, `${cm(`${spn} -> ${id}`)}${stat}-j ${sepOf(id)}`);
  });
}
