// The whole tree type-checks (tsc --noEmit): a moved file or a broken contract fails here first.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { REPO, run } from "./harness/node.ts";

test("tsc --noEmit reports no errors", async () => {
  const r = await run([join(REPO, "node_modules", ".bin", "tsc"), "--noEmit", "-p", REPO], { cwd: REPO, timeoutMs: 240_000 });
  const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"));
  expect(errors).toEqual([]);
  expect(r.code).toBe(0);
}, 300_000);
