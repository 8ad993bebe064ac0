// Certificate primitives on @peculiar/x509 (ECDSA P-256, like k3s): no hand-written ASN.1.
import "reflect-metadata"; // @peculiar/x509's DI container needs the Reflect metadata polyfill
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface Issuer {
  cert: x509.X509Certificate;
  key: CryptoKey;
}

const pemBody = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;

function serial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] &= 0x7f; // positive INTEGER
  return Buffer.from(b).toString("hex");
}

async function exportKey(key: CryptoKey): Promise<string> {
  return pemBody("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", key));
}

export async function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  return crypto.subtle.importKey("pkcs8", der, ALG, true, ["sign"]);
}

export function parseCert(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pem);
}

export async function loadIssuer(pair: KeyPairPem): Promise<Issuer> {
  return { cert: parseCert(pair.certPem), key: await importKey(pair.keyPem) };
}

const years = (n: number) => new Date(Date.now() + n * 365 * 24 * 3600 * 1000);

export async function createCA(commonName: string, validYears = 10): Promise<KeyPairPem> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: years(validYears),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await exportKey(keys.privateKey) };
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ips?: string[];
  usage: "server" | "client" | "both";
  validDays?: number;
}

const escapeRdn = (s: string) => s.replace(/([,+"\\<>;=])/g, "\\$1");

export async function createLeaf(issuer: Issuer, o: LeafOptions): Promise<KeyPairPem> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const subject = [...(o.organizations ?? []).map((org) => `O=${escapeRdn(org)}`), `CN=${escapeRdn(o.commonName)}`].join(", ");
  const eku =
    o.usage === "server"
      ? [x509.ExtendedKeyUsage.serverAuth]
      : o.usage === "client"
        ? [x509.ExtendedKeyUsage.clientAuth]
        : [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(eku),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
  ];
  const alt = [...(o.dnsNames ?? []).map((v) => ({ type: "dns" as const, value: v })), ...(o.ips ?? []).map((v) => ({ type: "ip" as const, value: v }))];
  if (alt.length) extensions.push(new x509.SubjectAlternativeNameExtension(alt));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + (o.validDays ?? 365) * 24 * 3600 * 1000),
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await exportKey(keys.privateKey) };
}

/** DNS names and IPs in a certificate's SAN extension. */
export function sansOf(cert: x509.X509Certificate): { dns: string[]; ips: string[] } {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dns: string[] = [];
  const ips: string[] = [];
  for (const n of ext?.names.items ?? []) {
    if (n.type === "dns") dns.push(n.value);
    if (n.type === "ip") ips.push(n.value);
  }
  return { dns, ips };
}
