// install.sh end to end: `curl … | sh -` from a local HTTP server into a temp root.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, run } from "../harness/node.ts";
setDefaultTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), "kubun-install-"));
const release = join(dir, "release");
const root = join(dir, "root");
const name = `kubun-t${process.pid}`;
let server: ReturnType<typeof Bun.serve>;
let tamper = false;

beforeAll(async () => {
  mkdirSync(release, { recursive: true });
  const b = await run([process.execPath, join(REPO, "cmd", "build.ts"), join(release, "kubun-amd64")], { cwd: REPO, timeoutMs: 180_000 });
  expect(b.code).toBe(0);
  const sum = createHash("sha256").update(readFileSync(join(release, "kubun-amd64"))).digest("hex");
  writeFileSync(join(release, "sha256sum-amd64.txt"), `${sum}  kubun-amd64\n`);
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const p = new URL(req.url).pathname;
      if (p === "/install.sh") return new Response(Bun.file(join(REPO, "install.sh")));
      if (p === "/kubun-amd64" && tamper) return new Response("#!/bin/sh\necho evil\n");
      const f = join(release, p.slice(1));
      return existsSync(f) && !p.includes("..") ? new Response(Bun.file(f)) : new Response("no", { status: 404 });
    },
  });
});
afterAll(() => {
  server?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  PATH: `${join(root, "bin")}:/usr/sbin:/usr/bin:/sbin:/bin`,
  INSTALL_KUBUN_DOWNLOAD_URL: `http://127.0.0.1:${server.port}`,
  INSTALL_KUBUN_BIN_DIR: join(root, "bin"),
  INSTALL_KUBUN_SYSTEMD_DIR: join(root, "systemd"),
  INSTALL_KUBUN_DATA_DIR: join(root, "data"),
  INSTALL_KUBUN_CONFIG_DIR: join(root, "etc"),
  INSTALL_KUBUN_NAME: name,
  INSTALL_KUBUN_SKIP_ENABLE: "true",
  INSTALL_KUBUN_SKIP_START: "true",
  INSTALL_KUBUN_SYMLINK: "force",
  INSTALL_KUBUN_EXEC: "--disable servicelb",
  KUBUN_TOKEN: "s3cr3t",
  KUBUN_NODE_LABEL: "edge=true",
});
const install = () => run(["sh", "-c", `curl -sfL http://127.0.0.1:${server.port}/install.sh | sh -`], { env: env(), timeoutMs: 120_000 });
const mode = (p: string) => statSync(p).mode & 0o777;

test("curl | sh installs binary, symlink, scripts, env file and a unit that systemd-analyze accepts", async () => {
  mkdirSync(join(root, "bin"), { recursive: true });
  const r = await install();
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("[INFO]  Installing kubun to");
  expect(r.stdout).toContain("kubun kubectl get nodes");
  const bin = join(root, "bin");
  expect(mode(join(bin, "kubun"))).toBe(0o755);
  expect((await run([join(bin, "kubun"), "--version"])).stdout).toMatch(/^kubun version v1\.33/);
  expect(lstatSync(join(bin, "kubectl")).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(bin, "kubectl"))).toBe("kubun");
  for (const s of [`${name}-killall.sh`, `${name}-uninstall.sh`]) expect(mode(join(bin, s))).toBe(0o755);
  const envFile = join(root, "systemd", `${name}.service.env`);
  expect(mode(envFile)).toBe(0o600);
  const envText = readFileSync(envFile, "utf8");
  expect(envText).toContain("KUBUN_TOKEN=s3cr3t");
  expect(envText).toContain("KUBUN_NODE_LABEL=edge=true");
  const unit = join(root, "systemd", `${name}.service`);
  const text = readFileSync(unit, "utf8");
  for (const line of ["Type=notify", "KillMode=process", "Delegate=yes", "LimitNOFILE=1048576", "TasksMax=infinity", "Restart=always", `ExecStart=${bin}/kubun server --disable servicelb`])
    expect(text).toContain(line);
  const v = await run(["systemd-analyze", "verify", unit]);
  expect(v.stderr.split("\n").filter((l) => l && !/Failed to (connect|open)|No such file|proc|Cannot|bus|kubun-t\d+\.service\.env/.test(l))).toEqual([]);
  expect(v.code).toBe(0);
  for (const s of ["install.sh", join(bin, `${name}-killall.sh`), join(bin, `${name}-uninstall.sh`)]) {
    const sc = await run(["shellcheck", "-s", "sh", s], { cwd: REPO });
    expect(sc.stdout + sc.stderr).toBe("");
  }
});

test("a second run with nothing changed changes nothing", async () => {
  const before = statSync(join(root, "bin", "kubun")).mtimeMs;
  const unitBefore = statSync(join(root, "systemd", `${name}.service`)).mtimeMs;
  const r = await install();
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("is up to date");
  expect(statSync(join(root, "bin", "kubun")).mtimeMs).toBe(before);
  expect(statSync(join(root, "systemd", `${name}.service`)).mtimeMs).toBe(unitBefore);
});

test("a binary whose checksum does not match is refused and not installed", async () => {
  const bin2 = join(dir, "root2");
  tamper = true;
  try {
    const r = await run(["sh", "-c", `curl -sfL http://127.0.0.1:${server.port}/install.sh | sh -`], { env: { ...env(), INSTALL_KUBUN_BIN_DIR: bin2 }, timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("checksum mismatch");
    expect(existsSync(join(bin2, "kubun"))).toBe(false);
  } finally {
    tamper = false;
  }
});

test("uninstall removes everything the installer created", async () => {
  mkdirSync(join(root, "data", "server"), { recursive: true });
  mkdirSync(join(root, "etc"), { recursive: true });
  const r = await run(["sh", join(root, "bin", `${name}-uninstall.sh`)], { env: env() });
  expect(r.code).toBe(0);
  for (const p of ["bin/kubun", "bin/kubectl", `bin/${name}-killall.sh`, `bin/${name}-uninstall.sh`, `systemd/${name}.service`, `systemd/${name}.service.env`, "data", "etc"])
    expect(existsSync(join(root, p))).toBe(false);
});
