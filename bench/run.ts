// `bun run bench [name...] [--runs N]`: runs bench/<name>.bench.ts and prints figures.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createContext, renderTable, type Benchmark } from "./lib.ts";

const args = process.argv.slice(2);
let runs = 5;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else if (args[i].startsWith("--runs=")) runs = Number(args[i].slice(7));
  else names.push(args[i]);
}
const dir = import.meta.dir;
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();
const selected = names.length ? names : available;
let failed = false;
for (const name of selected) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(", ")}`);
    process.exit(2);
  }
  const mod = (await import(join(dir, `${name}.bench.ts`))) as { default: Benchmark };
  const bench = mod.default;
  console.log(`\n## ${bench.name}: ${bench.description} (runs=${runs})`);
  const { ctx, figures, cleanup } = createContext(runs, (m) => console.log(`  ${m}`));
  try {
    await bench.run(ctx);
  } catch (e) {
    failed = true;
    console.error(`benchmark ${name} failed: ${e instanceof Error ? e.stack : e}`);
  } finally {
    await cleanup();
  }
  console.log(renderTable(figures));
}
process.exit(failed ? 1 : 0);
