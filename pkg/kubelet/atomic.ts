// Upstream's AtomicWriter: a volume's files live in a timestamped directory reached through the
// `..data` symlink, swapped with one rename(2); the user-visible names are symlinks into `..data`.
// A reader never sees a half-written set, and bind-mounted directories see the change at once.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, chmodSync, chownSync } from "node:fs";
import { dirname, join } from "node:path";

export interface FileProjection {
  data: Uint8Array | string;
  mode: number;
  /** fsGroup owner */
  gid?: number;
}

const DATA = "..data";

function same(dir: string, payload: Record<string, FileProjection>): boolean {
  const cur = join(dir, DATA);
  if (!existsSync(cur)) return false;
  const want = Object.keys(payload).sort();
  const have: string[] = [];
  const walk = (d: string, pre: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), pre + e.name + "/");
      else have.push(pre + e.name);
    }
  };
  walk(cur, "");
  if (have.sort().join("\0") !== want.join("\0")) return false;
  for (const k of want) {
    const p = join(cur, k);
    const st = lstatSync(p);
    const d = payload[k].data;
    if ((st.mode & 0o7777) !== payload[k].mode) return false;
    if (Buffer.compare(readFileSync(p), typeof d === "string" ? Buffer.from(d) : Buffer.from(d)) !== 0) return false;
  }
  return true;
}

/** Write `payload` (relative path → content) atomically into dir; returns true when something changed. */
export function atomicWrite(dir: string, payload: Record<string, FileProjection>): boolean {
  mkdirSync(dir, { recursive: true });
  if (same(dir, payload)) return false;
  const ts = `..${new Date().toISOString().replace(/[:.]/g, "_")}.${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(dir, ts);
  mkdirSync(tsDir, { mode: 0o755 });
  for (const [rel, f] of Object.entries(payload)) {
    if (rel.split("/").some((p) => p === ".." || p === "" || p.startsWith(".."))) throw new Error(`invalid path ${rel} in volume`);
    const p = join(tsDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.data);
    chmodSync(p, f.mode);
    if (f.gid !== undefined) chownSync(p, 0, f.gid);
  }
  const old = existsSync(join(dir, DATA)) ? readlinkSync(join(dir, DATA)) : null;
  const tmp = join(dir, "..data_tmp");
  rmSync(tmp, { force: true });
  symlinkSync(ts, tmp);
  renameSync(tmp, join(dir, DATA));
  // top-level user-visible names
  const top = new Set(Object.keys(payload).map((k) => k.split("/")[0]));
  for (const e of readdirSync(dir)) {
    if (e.startsWith("..")) continue;
    if (!top.has(e)) rmSync(join(dir, e), { force: true, recursive: true });
  }
  for (const t of top) if (!existsSync(join(dir, t)) || !lstatSync(join(dir, t)).isSymbolicLink()) {
    rmSync(join(dir, t), { force: true, recursive: true });
    symlinkSync(join(DATA, t), join(dir, t));
  }
  if (old) rmSync(join(dir, old), { recursive: true, force: true });
  return true;
}
