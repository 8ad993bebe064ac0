// Test support: Debian's docker-registry on 127.0.0.1 with htpasswd basic auth, and a minimal pusher.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { Subprocess } from "bun";

export interface TestRegistry {
  host: string;
  user: string;
  password: string;
  storage: string;
  proc: Subprocess;
  stop(): Promise<void>;
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}

export async function startRegistry(dir: string): Promise<TestRegistry> {
  const user = "kubun", password = `pw-${Math.random().toString(36).slice(2)}`;
  const storage = join(dir, "data");
  mkdirSync(storage, { recursive: true });
  writeFileSync(join(dir, "htpasswd"), `${user}:${await Bun.password.hash(password, { algorithm: "bcrypt", cost: 4 })}\n`);
  let lastErr = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = freePort();
    writeFileSync(join(dir, "config.yml"), [
      "version: 0.1", "log:", "  level: error", "storage:", "  filesystem:", `    rootdirectory: ${storage}`,
      "http:", `  addr: 127.0.0.1:${port}`, "auth:", "  htpasswd:", "    realm: kubun-test", `    path: ${join(dir, "htpasswd")}`, "",
    ].join("\n"));
    const proc = Bun.spawn(["/usr/bin/docker-registry", "serve", join(dir, "config.yml")], { stdout: "ignore", stderr: "pipe" });
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 100 && proc.exitCode === null; i++) {
      const ok = await fetch(`http://${host}/v2/`).then((r) => r.status === 401, () => false);
      if (ok) return { host, user, password, storage, proc, stop: async () => { proc.kill(9); await proc.exited; } };
      await Bun.sleep(50);
    }
    proc.kill(9);
    await proc.exited;
    lastErr = await new Response(proc.stderr as ReadableStream).text();
  }
  throw new Error(`docker-registry did not start: ${lastErr}`);
}

const digestOf = (b: Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** Push blobs and manifests with the distribution API (monolithic uploads). */
export class Pusher {
  constructor(private readonly reg: TestRegistry, private readonly repo: string) {}

  private get auth() {
    return { Authorization: `Basic ${Buffer.from(`${this.reg.user}:${this.reg.password}`).toString("base64")}` };
  }

  async blob(data: Uint8Array): Promise<{ digest: string; size: number }> {
    const digest = digestOf(data);
    const start = await fetch(`http://${this.reg.host}/v2/${this.repo}/blobs/uploads/`, { method: "POST", headers: this.auth });
    if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
    const loc = new URL(start.headers.get("location")!, `http://${this.reg.host}`);
    loc.searchParams.set("digest", digest);
    const put = await fetch(loc, { method: "PUT", headers: { ...this.auth, "Content-Type": "application/octet-stream" }, body: data });
    if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
    return { digest, size: data.length };
  }

  async manifest(ref: string, body: object, mediaType: string): Promise<{ digest: string; size: number }> {
    const data = Buffer.from(JSON.stringify(body));
    const res = await fetch(`http://${this.reg.host}/v2/${this.repo}/manifests/${ref}`, { method: "PUT", headers: { ...this.auth, "Content-Type": mediaType }, body: data });
    if (res.status !== 201) throw new Error(`manifest put: ${res.status} ${await res.text()}`);
    return { digest: digestOf(data), size: data.length };
  }
}
