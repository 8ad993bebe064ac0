// Benchmark harness contract: each bench/<name>.bench.ts default-exports a Benchmark.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Better = "lower" | "higher";

export interface Figure {
  metric: string;
  subject: string;
  unit: string;
  samples: number[];
  better: Better;
}

export interface BenchContext {
  /** How many repetitions a benchmark should make of each measurement (`--runs N`, default 5). */
  runs: number;
  /** A fresh temporary directory, removed when the benchmark ends. */
  tmpdir(prefix?: string): string;
  /** Record samples of one metric for one subject ("kubun", or a peer such as "etcd"). */
  record(metric: string, subject: string, unit: string, samples: number | number[], better?: Better): void;
  log(message: string): void;
  /** Register cleanup run when the benchmark ends, even on failure. */
  defer(fn: () => unknown | Promise<unknown>): void;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<void>;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { min: s[0], median: quantile(s, 0.5), max: s[s.length - 1], n: s.length };
}

/** Percentile of raw latencies (ms), for benchmarks that time many operations per run. */
export function percentile(values: number[], p: number): number {
  return quantile([...values].sort((a, b) => a - b), p / 100);
}

export function createContext(runs: number, log: (m: string) => void) {
  const figures: Figure[] = [];
  const dirs: string[] = [];
  const deferred: Array<() => unknown> = [];
  const ctx: BenchContext = {
    runs,
    tmpdir(prefix = "kubun-bench-") {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    record(metric, subject, unit, samples, better = "lower") {
      const list = Array.isArray(samples) ? samples : [samples];
      const existing = figures.find((f) => f.metric === metric && f.subject === subject);
      if (existing) existing.samples.push(...list);
      else figures.push({ metric, subject, unit, samples: [...list], better });
    },
    log,
    defer(fn) {
      deferred.push(fn);
    },
  };
  async function cleanup() {
    for (const fn of deferred.reverse()) {
      try {
        await fn();
      } catch (e) {
        log(`cleanup failed: ${e}`);
      }
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return { ctx, figures, cleanup };
}

const fmt = (v: number) => (Number.isNaN(v) ? "-" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A table: one row per metric and subject; ratio = kubun median / peer median on peer rows. */
export function renderTable(figures: Figure[]): string {
  const rows: string[][] = [["metric", "subject", "unit", "n", "min", "median", "max", "kubun/peer"]];
  const metrics = [...new Set(figures.map((f) => f.metric))];
  for (const m of metrics) {
    const fs = figures.filter((f) => f.metric === m);
    const ours = fs.find((f) => f.subject === "kubun");
    for (const f of fs) {
      const s = summarize(f.samples);
      let ratio = "";
      if (ours && f !== ours) {
        const r = summarize(ours.samples).median / s.median;
        ratio = `${r.toFixed(2)}x (${f.better} is better)`;
      }
      rows.push([m, f.subject, f.unit, String(s.n), fmt(s.min), fmt(s.median), fmt(s.max), ratio]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
