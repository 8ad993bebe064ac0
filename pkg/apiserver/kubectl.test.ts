// The real kubectl against the app over plain HTTP on 127.0.0.1 (TLS and authentication are
// the serving layer's, tested there): the verbs whose semantics live in this package.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN, makeHarness, type Harness } from "./testing/harness.ts";

const BIN = "/usr/lib/google-cloud-sdk/bin";
const versions = ["1.27", "1.33"].filter((v) => existsSync(`${BIN}/kubectl.${v}`));

let h: Harness;
let server: ReturnType<typeof Bun.serve>;
let dir: string;

beforeAll(async () => {
  h = await makeHarness();
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 30, fetch: (req) => h.app.fetch(req, { user: ADMIN }) });
  dir = mkdtempSync(join(tmpdir(), "kubun-apiserver-kubectl-"));
  writeFileSync(
    join(dir, "kubeconfig"),
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${server.port}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
});
afterAll(async () => {
  server?.stop(true);
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Asynchronous: the server answers from this same process.
async function kubectl(v: string, args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const home = join(dir, `home-${v}`);
  const p = Bun.spawn([`${BIN}/kubectl.${v}`, ...args], {
    env: { PATH: "/usr/bin:/bin", HOME: home, KUBECONFIG: join(dir, "kubeconfig") },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000,
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out, err };
}

const manifest = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: ${image}
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
`;

describe.each(versions)("kubectl %s", (v) => {
  const name = `app-${v.replace(".", "")}`;
  test("apply, re-apply unchanged, configure, server-side apply conflict", async () => {
    const a = await kubectl(v, ["apply", "-f", "-"], manifest(name, "nginx:1"));
    expect(a.err).toBe("");
    expect(a.out).toContain(`deployment.apps/${name} created`);
    const again = await kubectl(v, ["apply", "-f", "-"], manifest(name, "nginx:1"));
    expect(again.out).toContain(`deployment.apps/${name} unchanged`);
    expect(again.out).toContain(`service/${name} unchanged`);
    expect(again.err).toBe("");
    const changed = await kubectl(v, ["apply", "-f", "-"], manifest(name, "nginx:2"));
    expect(changed.out).toContain(`deployment.apps/${name} configured`);
    const ssa = await kubectl(v, ["apply", "--server-side", "--field-manager=other", "-f", "-"], manifest(name, "nginx:3"));
    expect(ssa.code).not.toBe(0);
    expect(ssa.err).toContain("conflict");
    const forced = await kubectl(v, ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], manifest(name, "nginx:3"));
    expect(forced.out).toContain("serverside-applied");
    const img = await kubectl(v, ["get", "deploy", name, "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
    expect(img.out).toBe("nginx:3");
  }, 30_000);

  test("get -o wide prints the table columns; replace with a stale object conflicts", async () => {
    const wide = await kubectl(v, ["get", "svc", name, "-o", "wide"]);
    expect(wide.out).toMatch(/NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR/);
    expect(wide.out).toMatch(new RegExp(`${name}\\s+ClusterIP\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP`));
    const live = (await kubectl(v, ["get", "deploy", name, "-o", "yaml"])).out;
    expect((await kubectl(v, ["scale", "deploy", name, "--replicas=3"])).out).toContain("scaled");
    const stale = await kubectl(v, ["replace", "-f", "-"], live);
    expect(stale.code).not.toBe(0);
    expect(stale.err).toContain("the object has been modified");
  }, 30_000);

  test("patch, label, dry-run=server, delete", async () => {
    expect((await kubectl(v, ["patch", "deploy", name, "-p", '{"spec":{"replicas":2}}'])).out).toContain("patched");
    expect((await kubectl(v, ["label", "deploy", name, "tier=web"])).out).toContain("labeled");
    const sel = await kubectl(v, ["get", "deploy", "-l", "tier=web", "-o", "name"]);
    expect(sel.out.trim()).toBe(`deployment.apps/${name}`);
    expect((await kubectl(v, ["delete", "deploy", name, "--dry-run=server"])).out).toContain("server dry run");
    expect((await kubectl(v, ["get", "deploy", name, "-o", "name"])).out.trim()).toBe(`deployment.apps/${name}`);
    const del = await kubectl(v, ["delete", "-f", "-"], manifest(name, "nginx:3"));
    expect(del.out).toContain(`deployment.apps "${name}" deleted`);
    expect((await kubectl(v, ["get", "deploy", name])).err).toContain("NotFound");
  }, 30_000);

  test("auth whoami and can-i", async () => {
    if (v !== "1.27") expect((await kubectl(v, ["auth", "whoami"])).out).toContain("system:admin");
    expect((await kubectl(v, ["auth", "can-i", "create", "pods"])).out.trim()).toBe("yes");
  }, 30_000);
});
