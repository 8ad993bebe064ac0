import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { ensureCertificates, renderKubeconfig, tlsDir, writeKubeconfig, RENEW_BEFORE_MS } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-certs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("generates a P-256 CA, serving cert with SANs and an admin client cert", async () => {
  const c = await ensureCertificates({ dataDir: dir, sans: ["node1", "192.168.5.5"], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  expect(c.generated.sort()).toEqual(["client-admin", "server-ca", "serving-kube-apiserver"]);
  const ca = new X509Certificate(c.ca.certPem);
  const srv = new X509Certificate(c.serving.certPem);
  const adm = new X509Certificate(c.admin.certPem);
  expect(ca.ca).toBe(true);
  expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  expect(srv.verify(ca.publicKey)).toBe(true);
  expect(adm.verify(ca.publicKey)).toBe(true);
  for (const san of ["DNS:kubernetes.default.svc.cluster.local", "DNS:node1", "IP Address:10.43.0.1", "IP Address:127.0.0.1", "IP Address:192.168.5.5"])
    expect(srv.subjectAltName).toContain(san);
  expect(adm.subject).toContain("CN=system:admin");
  expect(adm.subject).toContain("O=system:masters");
  expect(statSync(join(tlsDir(dir), "server-ca.key")).mode & 0o777).toBe(0o600);
});

test("reuses valid certs, adds new SANs, renews near expiry", async () => {
  const again = await ensureCertificates({ dataDir: dir, sans: ["node1", "192.168.5.5"], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  expect(again.generated).toEqual([]);
  const more = await ensureCertificates({ dataDir: dir, sans: ["node1", "192.168.5.5", "extra.example"], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  expect(more.generated).toEqual(["serving-kube-apiserver"]);
  const later = Date.now() + 365 * 24 * 3600 * 1000 - RENEW_BEFORE_MS + 1000;
  const renewed = await ensureCertificates({ dataDir: dir, sans: [], serviceIP: "10.43.0.1", clusterDomain: "cluster.local", now: later });
  expect(renewed.generated.sort()).toEqual(["client-admin", "serving-kube-apiserver"]);
  expect(renewed.ca.certPem).toBe(again.ca.certPem);
});

test("kubeconfig embeds CA and client cert with the requested mode", async () => {
  const c = await ensureCertificates({ dataDir: dir, sans: [], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  const p = join(dir, "kube", "config.yaml");
  writeKubeconfig(p, renderKubeconfig({ server: "https://127.0.0.1:6443", caPem: c.ca.certPem, client: c.admin }), 0o600);
  const text = readFileSync(p, "utf8");
  expect(text).toContain("server: https://127.0.0.1:6443");
  expect(text).toContain(`certificate-authority-data: ${Buffer.from(c.ca.certPem).toString("base64")}`);
  expect(statSync(p).mode & 0o777).toBe(0o600);
});
