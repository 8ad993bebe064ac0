import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../util/log.ts";
import { createAuthenticator } from "../authn/index.ts";
import { ensureCertificates, createLeaf, createCA, loadIssuer } from "../certs/index.ts";
import { serveHTTPS, type HTTPSServer } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-serve-"));
let srv: HTTPSServer;
let certs: Awaited<ReturnType<typeof ensureCertificates>>;

beforeAll(async () => {
  certs = await ensureCertificates({ dataDir: dir, sans: [], serviceIP: "10.43.0.1", clusterDomain: "cluster.local" });
  srv = await serveHTTPS({
    bindAddress: "127.0.0.1",
    port: 0,
    certPem: certs.serving.certPem,
    keyPem: certs.serving.keyPem,
    caPem: certs.ca.certPem,
    authenticator: createAuthenticator({ dataDir: dir, extraAdminTokens: ["tok"] }),
    logger: createLogger("test"),
    handler: async (req, env) => {
      if (new URL(req.url).pathname === "/stream") {
        let n = 0;
        return new Response(new ReadableStream({ pull(c) { if (n++ < 3) c.enqueue(new TextEncoder().encode(`chunk${n}\n`)); else c.close(); } }));
      }
      const body = req.method === "POST" ? await req.text() : "";
      return Response.json({ user: env.user.username, groups: env.user.groups, body, method: req.method });
    },
  });
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, o: { cert?: { certPem: string; keyPem: string }; token?: string; method?: string; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((ok, fail) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1", port: srv.port, path, method: o.method ?? "GET", ca: certs.ca.certPem, servername: "localhost",
        cert: o.cert?.certPem, key: o.cert?.keyPem,
        headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
      },
      (res) => {
        let b = "";
        res.on("data", (d) => (b += d));
        res.on("end", () => ok({ status: res.statusCode ?? 0, body: b }));
      },
    );
    req.on("error", fail);
    req.end(o.body);
  });
}

test("client certificate identifies the user and groups", async () => {
  const r = await call("/x", { cert: certs.admin, method: "POST", body: "hello" });
  expect(r.status).toBe(200);
  expect(JSON.parse(r.body)).toEqual({ user: "system:admin", groups: ["system:masters", "system:authenticated"], body: "hello", method: "POST" });
});

test("bearer token works; no credentials → 401 Status except public paths", async () => {
  expect(JSON.parse((await call("/x", { token: "tok" })).body).user).toBe("system:admin");
  const denied = await call("/api/v1/pods");
  expect(denied.status).toBe(401);
  expect(JSON.parse(denied.body)).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  const pub = await call("/version");
  expect(pub.status).toBe(200);
  expect(JSON.parse(pub.body).user).toBe("system:anonymous");
});

test("a certificate from a foreign CA is not trusted", async () => {
  const other = await createCA("evil");
  const leaf = await createLeaf(await loadIssuer(other), { commonName: "system:admin", organizations: ["system:masters"], usage: "client" });
  expect((await call("/api", { cert: leaf })).status).toBe(401);
});

test("streamed bodies arrive in order", async () => {
  const r = await call("/stream", { token: "tok" });
  expect(r.body).toBe("chunk1\nchunk2\nchunk3\n");
});
