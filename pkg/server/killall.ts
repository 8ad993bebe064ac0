// `kubun killall`: what k3s-killall.sh does, for kubun's layout. Stops every container (pod cgroups
// and the runtime's recorded pids), unmounts what kubun mounted, removes the pod network
// namespaces, the bridge and kubun's iptables rules. It never stops a `kubun server` itself.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { parseProcCgroup, resolveCgroupPath } from "../kubelet/cgroups.ts";
import { loadRecords, processStartTime } from "../runtime/state.ts";
import { sh, shOk } from "../kubelet/network/exec.ts";
import { BRIDGE } from "../kubelet/network/sandbox.ts";
import { OWNED_CHAIN } from "../proxy/render.ts";
import { cleanupNetworkRules } from "./network.ts";

export interface KillallOptions {
  dataDir: string;
  /** Pod cgroup root: absolute, or relative to this process's own cgroup in each hierarchy. */
  cgroupRoot: string;
  /** Nodes whose netns dirs are removed; default every subdir of <runDir>/netns. */
  nodeNames?: string[];
  /** The service CIDR whose fallback route over lo the proxy may have added (default 10.43.0.0/16). */
  serviceCIDR?: string;
  /** Go ahead although a kubun server holds the data dir. */
  force?: boolean;
  /** One line per thing removed. */
  out(line: string): void;
  runDir?: string;
}

export interface KillallResult {
  /** What could not be removed (empty: everything is gone). */
  remaining: string[];
}

export const DEFAULT_DATA_DIR = "/var/lib/kubun";
const SELF = () => process.pid;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readOr = (p: string, d = "") => { try { return readFileSync(p, "utf8"); } catch { return d; } };
const real = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };

/** Processes (other than this one) running a kubun server on `dataDir`: holding its database open, or named so on their command line. */
export function findServers(dataDir: string, procDir = "/proc"): Array<{ pid: number; cmdline: string }> {
  const dir = real(dataDir);
  const db = join(dir, "server", "db", "state.db");
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const e of readdirSync(procDir)) {
    if (!/^\d+$/.test(e) || Number(e) === SELF()) continue;
    const argv = readOr(join(procDir, e, "cmdline")).split("\0").filter(Boolean);
    let holds = false;
    let fds: string[] = [];
    try { fds = readdirSync(join(procDir, e, "fd")); } catch {}
    for (const fd of fds) {
      let target = "";
      try { target = readlinkSync(join(procDir, e, "fd", fd)); } catch { continue; }
      if (target === db || target === `${db}-wal`) { holds = true; break; }
    }
    if (holds || isServerCommand(argv, dir)) found.push({ pid: Number(e), cmdline: argv.join(" ") });
  }
  return found;
}

/** `… server … --data-dir X` (or -d X, --data-dir=X) naming `dataDir`. */
export function isServerCommand(argv: string[], dataDir: string): boolean {
  const i = argv.indexOf("server");
  if (i < 0 || !argv.slice(0, i).some((a) => /kubun/.test(a))) return false;
  let named: string | undefined;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j];
    const v = a === "--data-dir" || a === "-d" ? argv[j + 1] : a.startsWith("--data-dir=") ? a.slice(11) : undefined;
    if (v !== undefined) named = v;
  }
  // without the flag the server uses the default (or KUBUN_DATA_DIR, which the db check catches)
  return real(named ?? DEFAULT_DATA_DIR) === dataDir;
}

export interface CgroupRoot { mount: string; self: string; dir: string; v2: boolean }

/** The pod cgroup root in every mounted hierarchy (v1 controllers, named v1 trees and v2). */
export function cgroupRoots(root: string, mountinfo: string, procCgroup: string): CgroupRoot[] {
  const own = parseProcCgroup(procCgroup);
  const named = new Map<string, string>();
  for (const l of procCgroup.trim().split("\n")) {
    const m = /^\d+:(name=[^:]+):(.*)$/.exec(l);
    if (m) named.set(m[1], m[2]);
  }
  const out: CgroupRoot[] = [];
  for (const line of mountinfo.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const [fstype, , opts = ""] = line.slice(sep + 3).split(" ");
    if (fstype !== "cgroup" && fstype !== "cgroup2") continue;
    const mount = unescapeMount(line.slice(0, sep).split(" ")[4]);
    let self: string | undefined;
    if (fstype === "cgroup2") self = own.get("");
    else {
      const o = opts.split(",");
      const name = o.find((x) => x.startsWith("name="));
      const key = [...own.keys()].find((k) => k && k.split(",").every((c) => o.includes(c)));
      self = key !== undefined ? own.get(key) : name ? named.get(name) : undefined;
    }
    if (self === undefined) continue;
    const dir = posix.join(mount, resolveCgroupPath(root, self)).replace(/(.)\/+$/, "$1");
    out.push({ mount, self, dir, v2: fstype === "cgroup2" });
  }
  return out;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
export const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));

/** Mount points to remove, deepest (and most recently mounted) first. */
export function selectMounts(mountinfo: string, within: string[], keep: (mp: string) => boolean = () => false): string[] {
  const mps = mountinfo.split("\n").filter((l) => l.includes(" - ")).map((l) => unescapeMount(l.split(" ")[4]));
  const hit = mps.map((mp, i) => ({ mp, i })).filter(({ mp }) => within.some((w) => mp === w || mp.startsWith(w + "/")) && !keep(mp));
  hit.sort((a, b) => b.mp.split("/").length - a.mp.split("/").length || b.i - a.i);
  return hit.map((h) => h.mp);
}

/** Restore text removing kubun's KUBUN-* nat chains and the jumps to them, or null when there are none. */
export function natCleanupText(save: string): { text: string; chains: string[] } | null {
  const chains = [...save.matchAll(/^:(KUBUN-[^ ]+) /gm)].map((m) => m[1]);
  if (!chains.length) return null;
  const jumps = save.split("\n").filter((r) => /^-A (POSTROUTING|PREROUTING|OUTPUT) /.test(r) && chains.some((c) => r.endsWith(`-j ${c}`)));
  // declaring a chain flushes it, so the chains' rules (and jumps between them) go before -X
  const text = ["*nat", ...chains.map((c) => `:${c} - [0:0]`), ...jumps.map((r) => "-D" + r.slice(2)), ...chains.map((c) => `-X ${c}`), "COMMIT", ""].join("\n");
  return { text, chains };
}

function walkDirs(dir: string): string[] {
  const out: string[] = [];
  let ents: import("node:fs").Dirent[] = [];
  try { ents = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of ents) if (e.isDirectory()) out.push(...walkDirs(join(dir, e.name)), join(dir, e.name));
  return out;
}

const procsIn = (dirs: string[]) =>
  [...new Set(dirs.flatMap((d) => readOr(join(d, "cgroup.procs")).split("\n").filter(Boolean).map(Number)))].filter((p) => p !== SELF());

const comm = (pid: number) => readOr(`/proc/${pid}/comm`).trim() || "?";

async function stopRecordedContainers(dataDir: string, out: (l: string) => void): Promise<number[]> {
  const killed: number[] = [];
  for (const rec of loadRecords(join(dataDir, "agent", "containers"))) {
    const pid = rec.status?.pid ?? 0;
    // pid + start time: a reused pid belongs to someone else and is never signalled
    if (pid <= 1 || pid === SELF() || processStartTime(pid) !== rec.startTime) continue;
    const name = comm(pid);
    try { process.kill(pid, "SIGKILL"); } catch { continue; }
    killed.push(pid);
    out(`killed container ${rec.spec.id} (pid ${pid}, ${name})`);
  }
  return killed;
}

async function stopCgroups(roots: CgroupRoot[], killed: number[], out: (l: string) => void, remaining: string[]): Promise<void> {
  const live = roots.filter((r) => existsSync(r.dir));
  const usable = live.filter((r) => {
    const inside = r.self === r.dir.slice(r.mount.length) || r.self.startsWith(r.dir.slice(r.mount.length).replace(/\/?$/, "/"));
    if (r.dir === r.mount || inside) remaining.push(`cgroup ${r.dir} (holds this process or is a hierarchy root; not touched)`);
    return r.dir !== r.mount && !inside;
  });
  const seen = new Set<number>(killed);
  for (let round = 0; round < 100; round++) {
    const pids = procsIn(usable.flatMap((r) => [r.dir, ...walkDirs(r.dir)]));
    if (!pids.length) break;
    for (const r of usable) if (r.v2 && existsSync(join(r.dir, "cgroup.kill"))) try { writeFileSync(join(r.dir, "cgroup.kill"), "1"); } catch {}
    for (const p of pids) {
      const name = comm(p);
      try { process.kill(p, "SIGKILL"); } catch { continue; }
      if (!seen.has(p)) out(`killed process ${p} (${name})`);
      seen.add(p);
    }
    await sleep(Math.min(20 * (round + 1), 200));
  }
  for (const r of usable) {
    const dirs = [...walkDirs(r.dir), r.dir];
    let left = 0;
    for (const d of dirs) {
      for (let i = 0; ; i++) {
        try { rmdirSync(d); break; } catch (e: any) {
          if (e.code === "ENOENT") break;
          if (i >= 40) { left++; remaining.push(`cgroup ${d}: ${e.code}`); break; }
          await sleep(50);
        }
      }
    }
    if (left < dirs.length) out(`removed cgroup ${r.dir}${dirs.length > 1 ? ` (${dirs.length - left} groups)` : ""}`);
  }
}

async function unmountAll(within: string[], keep: (mp: string) => boolean, out: (l: string) => void): Promise<string[]> {
  for (let pass = 0; pass < 5; pass++) {
    const mps = selectMounts(readOr("/proc/self/mountinfo"), within, keep);
    if (!mps.length) return [];
    for (const mp of mps) {
      if (await shOk(["umount", mp])) out(`unmounted ${mp}`);
      else if (await shOk(["umount", "-l", mp])) out(`unmounted ${mp} (lazily)`);
    }
  }
  return selectMounts(readOr("/proc/self/mountinfo"), within, keep).map((mp) => `mount ${mp}`);
}

const iptablesTools = () =>
  (["nft", "legacy"] as const)
    .map((m) => ({ mode: m, save: `iptables-${m}-save`, restore: `iptables-${m}-restore` }))
    .filter((t) => existsSync(`/usr/sbin/${t.save}`) || existsSync(`/sbin/${t.save}`));

/** table/chain names kubun owns, per backend. */
async function ownedChains(): Promise<string[]> {
  const out: string[] = [];
  for (const t of iptablesTools()) {
    const save = await sh([t.save]).catch(() => "");
    let table = "";
    for (const l of save.split("\n")) {
      if (l.startsWith("*")) table = l.slice(1);
      const m = /^:([^ ]+) /.exec(l);
      if (m && (m[1].startsWith("KUBUN-") || OWNED_CHAIN.test(m[1]))) out.push(`${t.mode} ${table}/${m[1]}`);
    }
  }
  return out;
}

async function removeRules(out: (l: string) => void, remaining: string[]): Promise<void> {
  const before = await ownedChains();
  if (!before.length) return;
  await cleanupNetworkRules().catch((e) => remaining.push(`service rules: ${(e as Error).message}`));
  for (const t of iptablesTools()) {
    const nat = natCleanupText(await sh([t.save, "-t", "nat"]).catch(() => ""));
    if (nat) await sh([t.restore, "--noflush"], nat.text).catch((e) => remaining.push(`kubelet nat rules (${t.mode}): ${(e as Error).message}`));
  }
  const after = new Set(await ownedChains());
  for (const c of before) if (!after.has(c)) out(`removed iptables chain ${c}`);
  for (const c of after) remaining.push(`iptables chain ${c}`);
}

async function removeBridge(out: (l: string) => void, remaining: string[]): Promise<void> {
  if (!(await shOk(["ip", "link", "show", BRIDGE]))) return;
  const ports = (await sh(["ip", "-o", "link", "show", "master", BRIDGE]).catch(() => ""))
    .split("\n").map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).filter((n): n is string => !!n);
  for (const p of ports) if (await shOk(["ip", "link", "del", p])) out(`deleted link ${p}`);
  if (await shOk(["ip", "link", "del", BRIDGE])) out(`deleted bridge ${BRIDGE}`);
  else remaining.push(`bridge ${BRIDGE}`);
}

/** The proxy's route of last resort for the service CIDR on a node without a default route (pkg/proxy/route.ts). */
async function removeServiceRoute(cidr: string, out: (l: string) => void, remaining: string[]): Promise<void> {
  const shown = (await sh(["ip", "-4", "route", "show", cidr, "dev", "lo"]).catch(() => "")).trim();
  if (!shown) return;
  if (await shOk(["ip", "-4", "route", "del", cidr, "dev", "lo"])) out(`deleted route ${cidr} dev lo`);
  else remaining.push(`route ${cidr} dev lo`);
}

export async function killall(o: KillallOptions): Promise<KillallResult> {
  const runDir = o.runDir ?? "/run/kubun";
  const dataDir = real(o.dataDir);
  if (!o.force) {
    const servers = findServers(dataDir);
    if (servers.length)
      throw new Error(`a kubun server is still running on ${dataDir} (${servers.map((s) => `pid ${s.pid}: ${s.cmdline}`).join("; ")}); stop it first (the service: systemctl stop kubun) or pass --force`);
  }
  const remaining: string[] = [];
  const netnsBase = join(runDir, "netns");
  const allNodes = existsSync(netnsBase) ? readdirSync(netnsBase) : [];
  const nodes = o.nodeNames?.length ? o.nodeNames : allNodes;
  // another node's namespaces (a second kubun on this machine) are left alone
  const keep = (mp: string) => mp.startsWith(netnsBase + "/") && !nodes.includes(mp.slice(netnsBase.length + 1).split("/")[0]);

  const recorded = await stopRecordedContainers(dataDir, o.out);
  await stopCgroups(cgroupRoots(o.cgroupRoot, readOr("/proc/self/mountinfo"), readOr("/proc/self/cgroup")), recorded, o.out, remaining);
  for (let i = 0; i < 100 && recorded.some((p) => processStartTime(p) !== null); i++) await sleep(20);
  for (const p of recorded) if (processStartTime(p) !== null) remaining.push(`process ${p}`);

  remaining.push(...(await unmountAll([runDir, join(dataDir, "agent")], keep, o.out)));
  for (const n of nodes) {
    const dir = join(netnsBase, n);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      try { rmSync(join(dir, f), { force: true }); o.out(`removed network namespace ${join(dir, f)}`); } catch (e) { remaining.push(`netns ${join(dir, f)}: ${(e as NodeJS.ErrnoException).code}`); }
    }
    try { rmdirSync(dir); } catch {}
  }
  // the pod network's address and sandbox records name only what is gone now (k3s removes /var/lib/cni)
  for (const f of ["ipam.json", "sandboxes.json"]) {
    const p = join(dataDir, "agent", f);
    if (!existsSync(p)) continue;
    try { rmSync(p); o.out(`removed ${p}`); } catch (e) { remaining.push(`${p}: ${(e as NodeJS.ErrnoException).code}`); }
  }
  if (!o.nodeNames?.length) for (const d of [netnsBase, runDir]) try { rmdirSync(d); } catch {}

  await removeBridge(o.out, remaining);
  await removeServiceRoute(o.serviceCIDR ?? "10.43.0.0/16", o.out, remaining);
  await removeRules(o.out, remaining);
  return { remaining };
}
