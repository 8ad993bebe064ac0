import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StatusError } from "../api/errors.ts";
import { createAuthenticator } from "../apiserver/authn/index.ts";
import { createCA, ensureCertificates, renderKubeconfig } from "../apiserver/certs/index.ts";
import { serveHTTPS, type HTTPSServer } from "../apiserver/serve/index.ts";
import { createLogger } from "../util/log.ts";
import { createHttpClient } from "./http.ts";
import { parseKubeconfig } from "./kubeconfig.ts";
import { startTestAPI, type TestAPI } from "./test-env.ts";
import type { GVR } from "./types.ts";

const CM: GVR = { group: "", version: "v1", resource: "configmaps" };
const dir = mkdtempSync(join(tmpdir(), "kubun-http-client-"));
let t: TestAPI;
let srv: HTTPSServer;
let certs: Awaited<ReturnType<typeof ensureCertificates>>;
let server: string;

beforeAll(async () => {
  t = await startTestAPI();
  certs = await ensureCertificates({ dataDir: dir, sans: [], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  srv = await serveHTTPS({
    bindAddress: "127.0.0.1",
    port: 0,
    certPem: certs.serving.certPem,
    keyPem: certs.serving.keyPem,
    caPem: certs.ca.certPem,
    authenticator: createAuthenticator({ dataDir: dir, extraAdminTokens: ["test-token"] }),
    logger: createLogger("test-serve"),
    handler: (req, env) => t.app.fetch(req, env),
  });
  server = `https://127.0.0.1:${srv.port}`;
});
afterAll(async () => {
  await srv?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("HTTPS client", () => {
  test("client certificate from a kubeconfig: CRUD and a streaming watch", async () => {
    const path = join(dir, "admin.yaml");
    writeFileSync(path, renderKubeconfig({ server, caPem: certs.ca.certPem, client: certs.admin }), { mode: 0o600 });
    const c = createHttpClient({ kubeconfig: path });
    const made = await c.create(CM, { metadata: { name: "over-tls", namespace: "default" }, data: { a: "1" } });
    const ac = new AbortController();
    const w = c.watch(CM, { namespace: "default", resourceVersion: made.metadata!.resourceVersion, signal: ac.signal });
    const types: string[] = [];
    const done = (async () => {
      for await (const ev of w) {
        types.push(ev.type);
        if (types.length === 2) ac.abort();
      }
    })();
    await c.patch(CM, "over-tls", "merge", { data: { a: "2" } }, { namespace: "default" });
    await c.delete(CM, "over-tls", { namespace: "default" });
    await Promise.race([done, Bun.sleep(5000).then(() => Promise.reject(new Error("watch over TLS did not deliver")))]);
    expect(types).toEqual(["MODIFIED", "DELETED"]);
    const err = await c.get(CM, "over-tls", { namespace: "default" }).catch((e) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err.code).toBe(404);
  });

  test("bearer token with a CA file relative to the kubeconfig", async () => {
    writeFileSync(join(dir, "ca.crt"), certs.ca.certPem);
    const path = join(dir, "token.yaml");
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority: ca.crt\nusers:\n- name: u\n  user:\n    token: test-token\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u, namespace: kube-system}\ncurrent-context: ctx\n`,
    );
    const creds = parseKubeconfig(await Bun.file(path).text(), { path });
    expect(creds.namespace).toBe("kube-system");
    expect(creds.token).toBe("test-token");
    const list = await createHttpClient({ kubeconfig: path }).list({ group: "", version: "v1", resource: "namespaces" });
    expect(list.items.map((n) => n.metadata!.name)).toContain("kube-system");
  });

  test("no credentials → 401 Status; a foreign CA → TLS failure as a StatusError", async () => {
    const anon = createHttpClient({ server, ca: certs.ca.certPem });
    const e401 = await anon.list(CM).catch((e) => e);
    expect(e401).toBeInstanceOf(StatusError);
    expect(e401.code).toBe(401);
    expect(e401.reason).toBe("Unauthorized");
    const other = await createCA("someone-else");
    const wrong = createHttpClient({ server, ca: other.certPem, cert: certs.admin.certPem, key: certs.admin.keyPem });
    const eTLS = await wrong.list(CM).catch((e) => e);
    expect(eTLS).toBeInstanceOf(StatusError);
    expect(eTLS.code).toBe(503);
  });

  test("a kubeconfig without the named context is rejected", () => {
    expect(() => parseKubeconfig("apiVersion: v1\nkind: Config\ncurrent-context: nope\n")).toThrow(/context "nope" not found/);
  });
});
