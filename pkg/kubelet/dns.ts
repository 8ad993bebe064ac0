// /etc/resolv.conf and /etc/hosts for a pod (upstream's kubelet/network/dns and kubelet_pods.go).

export interface ClusterDNS {
  clusterDNS: string;
  clusterDomain: string;
  /** the node's own resolv.conf text (dnsPolicy Default, and hostNetwork with ClusterFirst) */
  hostResolvConf: string;
}

function parseResolv(text: string) {
  const nameservers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split("\n")) {
    const l = raw.replace(/[#;].*/, "").trim().split(/\s+/);
    if (l[0] === "nameserver" && l[1]) nameservers.push(l[1]);
    else if (l[0] === "search" || l[0] === "domain") searches = l.slice(1);
    else if (l[0] === "options") options.push(...l.slice(1));
  }
  return { nameservers, searches, options };
}

function render(ns: string[], search: string[], options: string[]): string {
  const out: string[] = [];
  if (search.length) out.push(`search ${search.join(" ")}`);
  for (const n of ns) out.push(`nameserver ${n}`);
  if (options.length) out.push(`options ${options.join(" ")}`);
  return out.join("\n") + "\n";
}

/** Merge options by name, later ones winning (upstream's mergeDNSOptions). */
function mergeOptions(base: string[], extra: { name: string; value?: string }[] = []): string[] {
  const m = new Map<string, string>();
  for (const o of base) {
    const [k, v] = o.split(":");
    m.set(k, v === undefined ? k : `${k}:${v}`);
  }
  for (const o of extra) m.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...m.values()];
}

export function resolvConf(pod: any, d: ClusterDNS): string {
  const spec = pod.spec ?? {};
  let policy: string = spec.dnsPolicy ?? "ClusterFirst";
  if (policy === "ClusterFirst" && spec.hostNetwork) policy = "Default";
  if (policy === "ClusterFirstWithHostNet") policy = "ClusterFirst";
  const host = parseResolv(d.hostResolvConf);
  let ns: string[] = [], search: string[] = [], opts: string[] = [];
  if (policy === "ClusterFirst") {
    const nsName = pod.metadata.namespace;
    ns = [d.clusterDNS];
    search = [`${nsName}.svc.${d.clusterDomain}`, `svc.${d.clusterDomain}`, d.clusterDomain, ...host.searches];
    opts = ["ndots:5"];
  } else if (policy === "Default") {
    ns = host.nameservers;
    search = host.searches;
    opts = host.options;
  }
  const cfg = spec.dnsConfig ?? {};
  ns = [...new Set([...ns, ...(cfg.nameservers ?? [])])].slice(0, 3);
  search = [...new Set([...search, ...(cfg.searches ?? [])])].slice(0, 32);
  opts = mergeOptions(opts, cfg.options);
  return render(ns, search, opts);
}

/** The pod's hostname and FQDN (hostname/subdomain fields, 63-char truncation of the pod name). */
export function podHostname(pod: any, clusterDomain: string): { hostname: string; fqdn?: string } {
  const hostname = (pod.spec?.hostname || pod.metadata.name).slice(0, 63).replace(/[-.]+$/, "");
  const sub = pod.spec?.subdomain;
  return sub ? { hostname, fqdn: `${hostname}.${sub}.${pod.metadata.namespace}.svc.${clusterDomain}` } : { hostname };
}

/** /etc/hosts as the kubelet writes it ("Kubernetes-managed hosts file."). */
export function etcHosts(pod: any, podIPs: string[], clusterDomain: string, hostHostsFile?: string): string {
  if (pod.spec?.hostNetwork && hostHostsFile !== undefined) {
    let out = "# Kubernetes-managed hosts file (host network).\n" + hostHostsFile;
    if (!out.endsWith("\n")) out += "\n";
    return out + aliases(pod);
  }
  const { hostname, fqdn } = podHostname(pod, clusterDomain);
  const lines = [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
  ];
  for (const ip of podIPs) lines.push(fqdn ? `${ip}\t${fqdn}\t${hostname}` : `${ip}\t${hostname}`);
  return lines.join("\n") + "\n" + aliases(pod);
}

function aliases(pod: any): string {
  const ha = pod.spec?.hostAliases ?? [];
  if (!ha.length) return "";
  let out = "\n# Entries added by HostAliases.\n";
  for (const a of ha) out += `${a.ip}\t${(a.hostnames ?? []).join("\t")}\n`;
  return out;
}
