import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logResponse, parseCri, parseLogOptions } from "./logs.ts";
import { rotateFile } from "./rotate.ts";
import type { Runtime } from "../runtime/types.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-logs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const log = join(dir, "0.log");
writeFileSync(log, [
  "2026-01-01T00:00:01.000000000Z stdout F one",
  "2026-01-01T00:00:02.000000000Z stderr P tw",
  "2026-01-01T00:00:02.500000000Z stderr F o",
  "2026-01-01T00:00:03.000000000Z stdout F three",
  "",
].join("\n"));
let running = false;
const runtime = { status: () => ({ state: running ? "running" : "exited" }) } as unknown as Runtime;
const worker = (cur: any, prev?: any) => ({
  pod: { metadata: { name: "p" }, spec: { containers: [{ name: "c" }] } },
  containers: () => new Map([["c", { cur, prev, attempt: 0, all: [] }]]),
  waiting: new Map(),
}) as any;
const get = (q: string, w = worker({ id: "x", logPath: log })) => logResponse(w, runtime, parseLogOptions(new URLSearchParams(q)), new AbortController().signal).text();

describe("pods/log", () => {
  test("partial lines join; timestamps, tailLines, sinceTime, limitBytes", async () => {
    expect(parseCri("a stdout P x\nb stdout F y\n", { partial: "", ts: "" })).toEqual([{ ts: "a", text: "xy\n" }]);
    expect(await get("")).toBe("one\ntwo\nthree\n");
    expect(await get("timestamps=true&tailLines=1")).toBe("2026-01-01T00:00:03.000000000Z three\n");
    expect(await get("sinceTime=2026-01-01T00:00:02Z")).toBe("two\nthree\n");
    expect(await get("limitBytes=6")).toBe("one\ntw");
    expect(await get("tailLines=0")).toBe("");
  });
  test("errors name the container state like upstream", async () => {
    expect(() => logResponse(worker(undefined), runtime, parseLogOptions(new URLSearchParams("")), new AbortController().signal)).toThrow('container "c" in pod "p" is waiting to start: ContainerCreating');
    expect(() => logResponse(worker({ id: "x", logPath: log }), runtime, parseLogOptions(new URLSearchParams("previous=true")), new AbortController().signal)).toThrow('previous terminated container "c" in pod "p" not found');
    expect(() => parseLogOptions(new URLSearchParams("sinceSeconds=0"))).toThrow();
  });
  test("follow streams appended lines until the container stops", async () => {
    running = true;
    const res = logResponse(worker({ id: "x", logPath: log }), runtime, parseLogOptions(new URLSearchParams("follow=true&tailLines=1")), new AbortController().signal);
    const text = res.text();
    appendFileSync(log, "2026-01-01T00:00:04.000000000Z stdout F four\n");
    await Bun.sleep(250);
    running = false;
    expect(await text).toBe("three\nfour\n");
  });
  test("rotation keeps five files", () => {
    const f = join(dir, "r.log");
    for (let i = 0; i < 7; i++) {
      writeFileSync(f, `gen ${i}`);
      rotateFile(f);
    }
    expect(readFileSync(`${f}.1`, "utf8")).toBe("gen 6");
    expect(readFileSync(`${f}.4`, "utf8")).toBe("gen 3");
    expect(existsSync(`${f}.5`)).toBe(false);
    expect(existsSync(f)).toBe(false);
  });
});
