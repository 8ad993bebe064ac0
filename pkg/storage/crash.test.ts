import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openSqliteBackend } from "./backend.ts";
import { rng, tempDir } from "./testutil.ts";

const dir = tempDir("kubun-crash-");
const path = join(dir, "state.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  key: string;
  rev: number;
  value: string;
}

/** Runs the child until it acknowledged at least minAcks writes, waits delayMs more, SIGKILLs it. */
async function runAndKill(tag: string, minAcks: number, delayMs: number): Promise<Ack[]> {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "crash-child.ts"), path, tag], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const acks: Ack[] = [];
  let buf = "";
  let killed = false;
  const killTimer = setTimeout(() => child.kill("SIGKILL"), 15_000); // bound a stuck child
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  try {
    let killAt = Infinity;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith("ack ")) continue;
        const [, key, rev, ...rest] = line.split(" ");
        acks.push({ key, rev: Number(rev), value: rest.join(" ") });
      }
      if (!killed && acks.length >= minAcks && killAt === Infinity) {
        killAt = Date.now() + delayMs;
        setTimeout(() => {
          killed = true;
          child.kill("SIGKILL");
        }, delayMs);
      }
    }
  } finally {
    clearTimeout(killTimer);
    if (!killed) child.kill("SIGKILL");
    await child.exited;
  }
  if (!killed) throw new Error(`child exited on its own: ${await new Response(child.stderr).text()}`);
  expect(child.signalCode).toBe("SIGKILL");
  return acks;
}

test("every acknowledged write survives SIGKILL at random points (20 kills)", async () => {
  const rand = rng(20261127);
  const all = new Map<string, Ack>(); // unique keys: must be present exactly
  const counters = new Map<string, Ack>(); // updated keys: last ack must be <= what is stored
  let lastRev = 0;
  for (let i = 0; i < 20; i++) {
    const acks = await runAndKill(`i${i}`, 1 + Math.floor(rand() * 400), Math.floor(rand() * 120));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) (a.key.startsWith("/crash/counter/") ? counters : all).set(a.key, a);

    const db = new Database(path, { readonly: true });
    try {
      expect(db.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
    } finally {
      db.close();
    }
    const b = openSqliteBackend({ path, compactIntervalMs: 0 });
    try {
      // Revisions never go backwards across crashes.
      expect(b.currentRevision()).toBeGreaterThanOrEqual(Math.max(lastRev, ...acks.map((a) => a.rev)));
      lastRev = b.currentRevision();
      for (const a of all.values()) {
        const got = (await b.get(a.key)).kv;
        expect(got ? `${got.modRevision} ${got.value}` : "missing").toBe(`${a.rev} ${a.value}`);
      }
      for (const a of counters.values()) {
        const got = (await b.get(a.key)).kv;
        expect(got).toBeDefined();
        expect(got!.modRevision).toBeGreaterThanOrEqual(a.rev);
        expect(Number(got!.value)).toBeGreaterThanOrEqual(Number(a.value));
      }
    } finally {
      await b.close();
    }
  }
  expect(all.size).toBeGreaterThan(100);
}, 90_000);
