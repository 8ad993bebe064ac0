// The cluster's TLS material under <data-dir>/server/tls: CA, serving cert, admin client cert.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createCA, createLeaf, loadIssuer, parseCert, sansOf, type KeyPairPem } from "./x509.ts";

export { createCA, createLeaf, loadIssuer, parseCert, sansOf } from "./x509.ts";
export type { KeyPairPem } from "./x509.ts";

/** Certificates within this window of expiry are renewed at start (k3s uses 90 days). */
export const RENEW_BEFORE_MS = 90 * 24 * 3600 * 1000;

export interface ClusterCerts {
  ca: KeyPairPem;
  serving: KeyPairPem;
  admin: KeyPairPem;
  /** What was (re)generated on this start, for the log. */
  generated: string[];
}

export interface CertOptions {
  dataDir: string;
  /** Extra SANs (hostnames or IPs) from --tls-san, node IPs, hostname. */
  sans: string[];
  /** First IP of the service CIDR (the kubernetes Service). */
  serviceIP: string;
  clusterDomain: string;
  now?: number;
}

const isIP = (s: string) => /^\d+\.\d+\.\d+\.\d+$/.test(s) || s.includes(":");

export const tlsDir = (dataDir: string) => join(dataDir, "server", "tls");

function writeAtomic(path: string, data: string, mode: number) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

function readPair(dir: string, name: string): KeyPairPem | undefined {
  const c = join(dir, `${name}.crt`);
  const k = join(dir, `${name}.key`);
  if (!existsSync(c) || !existsSync(k)) return undefined;
  return { certPem: readFileSync(c, "utf8"), keyPem: readFileSync(k, "utf8") };
}

function writePair(dir: string, name: string, p: KeyPairPem) {
  writeAtomic(join(dir, `${name}.key`), p.keyPem, 0o600);
  writeAtomic(join(dir, `${name}.crt`), p.certPem, 0o644);
}

/** Needs renewal: missing, unparsable, not issued by this CA, near expiry, or lacking wanted SANs. */
function stale(p: KeyPairPem | undefined, caPem: string, now: number, wantSans?: { dns: string[]; ips: string[] }): boolean {
  if (!p) return true;
  try {
    const cert = parseCert(p.certPem);
    if (cert.notAfter.getTime() - now < RENEW_BEFORE_MS) return true;
    if (cert.issuer !== parseCert(caPem).subject) return true;
    if (wantSans) {
      const have = sansOf(cert);
      if (wantSans.dns.some((d) => !have.dns.includes(d)) || wantSans.ips.some((i) => !have.ips.includes(i))) return true;
    }
    return false;
  } catch {
    return true;
  }
}

export function servingSans(o: Pick<CertOptions, "sans" | "serviceIP" | "clusterDomain">) {
  const dns = new Set(["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${o.clusterDomain}`]);
  const ips = new Set(["127.0.0.1", "::1", o.serviceIP]);
  for (const s of o.sans) if (s) (isIP(s) ? ips : dns).add(s);
  return { dns: [...dns], ips: [...ips] };
}

/** Load or create the CA and leaf certificates, renewing those near expiry (at start). */
export async function ensureCertificates(o: CertOptions): Promise<ClusterCerts> {
  const dir = tlsDir(o.dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = o.now ?? Date.now();
  const generated: string[] = [];
  let ca = readPair(dir, "server-ca");
  if (!ca || parseCert(ca.certPem).notAfter.getTime() < now) {
    ca = await createCA(`kubun-server-ca@${Math.floor(now / 1000)}`);
    writePair(dir, "server-ca", ca);
    generated.push("server-ca");
  }
  const issuer = await loadIssuer(ca);
  const sans = servingSans(o);
  let serving = readPair(dir, "serving-kube-apiserver");
  if (stale(serving, ca.certPem, now, sans)) {
    serving = await createLeaf(issuer, { commonName: "kube-apiserver", dnsNames: sans.dns, ips: sans.ips, usage: "server" });
    writePair(dir, "serving-kube-apiserver", serving);
    generated.push("serving-kube-apiserver");
  }
  let admin = readPair(dir, "client-admin");
  if (stale(admin, ca.certPem, now)) {
    admin = await createLeaf(issuer, { commonName: "system:admin", organizations: ["system:masters"], usage: "client" });
    writePair(dir, "client-admin", admin);
    generated.push("client-admin");
  }
  return { ca, serving: serving!, admin: admin!, generated };
}

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  client: KeyPairPem;
  clusterName?: string;
}

/** An admin kubeconfig in the shape k3s writes (cluster/user/context "default"). */
export function renderKubeconfig(o: KubeconfigOptions): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const name = o.clusterName ?? "default";
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(o.caPem)}`,
    `    server: ${o.server}`,
    `  name: ${name}`,
    "contexts:",
    "- context:",
    `    cluster: ${name}`,
    `    user: ${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    `- name: ${name}`,
    "  user:",
    `    client-certificate-data: ${b64(o.client.certPem)}`,
    `    client-key-data: ${b64(o.client.keyPem)}`,
    "",
  ].join("\n");
}

export function writeKubeconfig(path: string, content: string, mode: number) {
  writeAtomic(path, content, mode);
}
