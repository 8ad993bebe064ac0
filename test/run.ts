// `npm test`: every unit test (beside the code) and end-to-end test (test/), then one
// closing line "N passed, N failed, N skipped" read from bun's JUnit report.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const out = join(root, ".tmp", `junit-${process.pid}.xml`);
mkdirSync(join(root, ".tmp"), { recursive: true });
const args = process.argv.slice(2);
const targets = args.length ? args : ["pkg", "cmd", "ffi", "test"];
const p = Bun.spawnSync(
  [process.execPath, "test", "--isolate", "--timeout=120000", "--reporter=junit", `--reporter-outfile=${out}`, ...targets],
  { cwd: root, stdout: "inherit", stderr: "inherit", env: process.env },
);
let passed = 0, failed = 0, skipped = 0;
try {
  const xml = readFileSync(out, "utf8");
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const inner = m[2] ?? "";
    if (/<failure|<error/.test(inner)) failed++;
    else if (/<skipped/.test(inner)) skipped++;
    else passed++;
  }
  rmSync(out, { force: true });
} catch {
  console.error("no test report was written");
  if (p.exitCode === 0) process.exit(1);
}
if (p.exitCode !== 0 && failed === 0) failed = 1; // a crash outside any test still fails the run
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(p.exitCode === 0 && failed === 0 ? 0 : 1);
