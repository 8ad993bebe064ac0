import { test, expect, afterAll } from "bun:test";
import { mkdtempSync, rmSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CriLineWriter, MAX_LINE, rfc3339Nano } from "./logs.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-logs-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([FP]) (.*)$/;

test("RFC3339Nano timestamps", () => {
  expect(rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 6) + 0.789)).toBe("2026-01-02T03:04:05.006789000Z");
});

test("lines split across chunks, long lines as P records, the unterminated tail at EOF", () => {
  const path = join(dir, "c.log");
  const w = new CriLineWriter(path);
  w.write("stdout", Buffer.from("hel"));
  w.write("stderr", Buffer.from("err1\n"));
  w.write("stdout", Buffer.from("lo\nwor"));
  w.write("stdout", Buffer.from("x".repeat(MAX_LINE + 10) + "\n"));
  w.write("stdout", Buffer.from("tail"));
  w.close();
  const recs = readFileSync(path, "utf8").trimEnd().split("\n").map((l) => CRI.exec(l)!.slice(2));
  expect(recs).toEqual([
    ["stderr", "F", "err1"],
    ["stdout", "F", "hello"],
    ["stdout", "P", "wor" + "x".repeat(MAX_LINE - 3)],
    ["stdout", "F", "x".repeat(13)],
    ["stdout", "F", "tail"],
  ]);
});

test("reopen after rotation writes to a fresh file", () => {
  const path = join(dir, "r.log");
  const w = new CriLineWriter(path);
  w.write("stdout", Buffer.from("one\n"));
  renameSync(path, path + ".1");
  w.reopen();
  w.write("stdout", Buffer.from("two\n"));
  w.close();
  expect(readFileSync(path + ".1", "utf8")).toEndWith(" stdout F one\n");
  expect(readFileSync(path, "utf8")).toEndWith(" stdout F two\n");
});
