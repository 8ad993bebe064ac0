// `bun run build`: one self-contained executable, dist/kubun, with the commit baked in.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const git = Bun.spawnSync(["git", "rev-parse", "--short=8", "HEAD"], { cwd: root });
const commit = git.exitCode === 0 ? git.stdout.toString().trim() : "unknown";
const outfile = process.argv[2] ?? join(root, "dist", "kubun");
mkdirSync(join(outfile, ".."), { recursive: true });
const target = process.env.KUBUN_BUILD_TARGET; // e.g. bun-linux-arm64 for cross builds
const args = [
  process.execPath, "build", "--compile", "--minify-syntax", "--minify-whitespace", "--sourcemap=none",
  ...(target ? [`--target=${target}`] : []),
  `--define`, `KUBUN_BUILD_COMMIT=${JSON.stringify(commit)}`,
  `--define`, `KUBUN_BUILD_DATE=${JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, "Z"))}`,
  join(root, "cmd", "kubun.ts"), "--outfile", outfile,
];
const r = Bun.spawnSync(args, { cwd: root, stdout: "inherit", stderr: "inherit" });
if (r.exitCode !== 0) process.exit(r.exitCode ?? 1);
console.log(`built ${outfile} (${commit})`);
