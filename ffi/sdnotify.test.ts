import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sdNotify } from "./sdnotify.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-sdnotify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("READY=1 reaches a unix datagram socket", async () => {
  const sock = join(dir, "notify");
  // socat-free listener: python's socket module is always there on Debian.
  const p = Bun.spawn(["python3", "-c", `import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\nprint("ready",flush=True)\nprint(s.recv(100).decode(),flush=True)`, sock], { stdout: "pipe" });
  const reader = p.stdout.getReader();
  let out = "";
  while (!out.includes("ready")) out += new TextDecoder().decode((await reader.read()).value);
  expect(sdNotify(sock, "READY=1\nSTATUS=node ready")).toBe(true);
  while (!out.includes("STATUS")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  await p.exited;
  expect(out).toContain("READY=1\nSTATUS=node ready");
  expect(sdNotify(join(dir, "absent"), "READY=1")).toBe(false);
  expect(sdNotify("", "READY=1")).toBe(false);
});
