// Pod network sandboxes with iproute2 (a required host tool): one network namespace per pod kept by a
// bind mount (made by a clone(CLONE_NEWNET) child, like `unshare --net=<file>`), a veth pair whose host end joins bridge cni0 (hairpin on), the
// pod end renamed eth0 with an address from the podCIDR and a default route via the bridge.
// iproute2 rather than netlink from FFI: three short commands per pod, and the behaviour is that of
// the tools every operator debugs with.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { Ipam, cidrRange, gatewayOf } from "./ipam.ts";
import { sh, shOk } from "./exec.ts";
import { runInNewNetns } from "../../runtime/index.ts";

export const BRIDGE = "cni0";
/** prefix of pre-warmed sandbox ids (never a pod uid) */
const WARM = "warm-";

export interface Sandbox {
  netnsPath: string;
  ip: string;
}

/** Host-side veth name: stable per pod, ≤ 15 chars. */
export const vethName = (podUid: string) => `veth${createHash("sha256").update(podUid).digest("hex").slice(0, 8)}`;

export class PodNetwork {
  readonly ipam: Ipam;
  readonly gateway: string;

  /** pod uid → sandbox id (a pre-warmed sandbox keeps its own id; otherwise the id is the uid) */
  private readonly owners: Record<string, string>;
  private readonly ownersFile: string;
  private readonly warm: string[] = [];
  private warmTarget = 0;
  private refilling = false;

  constructor(readonly netnsDir: string, stateDir: string, readonly podCIDR: string) {
    this.ipam = new Ipam(join(stateDir, "ipam.json"), podCIDR);
    this.gateway = gatewayOf(podCIDR);
    this.ownersFile = join(stateDir, "sandboxes.json");
    this.owners = existsSync(this.ownersFile) ? JSON.parse(readFileSync(this.ownersFile, "utf8")) : {};
  }

  private saveOwners() {
    writeFileSync(this.ownersFile + ".tmp", JSON.stringify(this.owners));
    renameSync(this.ownersFile + ".tmp", this.ownersFile);
  }

  /**
   * Keep `n` sandboxes ready so a new pod only claims one (saves its namespace and veth setup).
   * Leftover warm sandboxes of a previous run are reused.
   */
  async prewarm(n: number): Promise<void> {
    this.warmTarget = n;
    const claimed = new Set(Object.values(this.owners));
    for (const f of existsSync(this.netnsDir) ? readdirSync(this.netnsDir) : []) {
      if (!f.startsWith(WARM) || claimed.has(f) || this.warm.includes(f)) continue;
      if (await shOk(["nsenter", `--net=${join(this.netnsDir, f)}`, "true"]) && (await shOk(["ip", "link", "show", vethName(f)]))) this.warm.push(f);
      else await this.destroy(f);
    }
    await this.refill();
  }

  private async refill(): Promise<void> {
    if (this.refilling) return;
    this.refilling = true;
    try {
      while (this.warm.length < this.warmTarget) {
        const id = `${WARM}${randomBytes(6).toString("hex")}`;
        await this.create(id);
        this.warm.push(id);
      }
    } finally {
      this.refilling = false;
    }
  }

  /** The bridge with the gateway address, forwarding on. Idempotent. */
  async setupHost(): Promise<void> {
    mkdirSync(this.netnsDir, { recursive: true });
    if (!(await shOk(["ip", "link", "show", BRIDGE]))) await sh(["ip", "link", "add", BRIDGE, "type", "bridge"]);
    const prefix = cidrRange(this.podCIDR).prefix;
    const addrs = await sh(["ip", "-4", "-o", "addr", "show", "dev", BRIDGE]);
    if (!addrs.includes(` ${this.gateway}/${prefix} `)) await sh(["ip", "addr", "add", `${this.gateway}/${prefix}`, "dev", BRIDGE]);
    await sh(["ip", "link", "set", BRIDGE, "up"]);
    // the namespace's own /proc/sys/net: kubun runs in the node's network namespace
    writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
  }

  netnsPath(podUid: string) {
    return join(this.netnsDir, this.owners[podUid] ?? podUid);
  }

  /** The pod's sandbox: found again after a restart, claimed from the warm pool, or created. */
  async setup(podUid: string): Promise<Sandbox> {
    const known = this.owners[podUid];
    if (!known && !existsSync(join(this.netnsDir, podUid)) && this.warm.length) {
      const id = this.warm.shift()!;
      this.owners[podUid] = id;
      this.saveOwners();
      this.ipam.transfer(id, podUid);
      void this.refill().catch(() => {});
      return { netnsPath: join(this.netnsDir, id), ip: this.ipam.allocate(podUid) };
    }
    const id = known ?? podUid;
    const ip = await this.create(id, podUid);
    return { netnsPath: join(this.netnsDir, id), ip };
  }

  /** Namespace + veth for sandbox `id`, addressed for `owner` (idempotent); returns the address. */
  private async create(id: string, owner = id): Promise<string> {
    const path = join(this.netnsDir, id);
    const ip = this.ipam.allocate(owner);
    const veth = vethName(id);
    const mounted = existsSync(path) && (await shOk(["nsenter", `--net=${path}`, "true"]));
    if (mounted && (await shOk(["ip", "link", "show", veth]))) return ip;
    const prefix = cidrRange(this.podCIDR).prefix;
    const inPod = [
      "link set lo up",
      // created from inside the pod namespace, the host end goes straight to kubun's namespace
      `link add eth0 type veth peer name ${veth} netns /proc/${process.pid}/ns/net`,
      `addr add ${ip}/${prefix} dev eth0`,
      "link set eth0 up",
      `route add default via ${this.gateway} dev eth0 onlink`,
    ].join("\n") + "\n";
    const onHost = [`link set ${veth} master ${BRIDGE}`, `link set ${veth} type bridge_slave hairpin on`, `link set ${veth} up`].join("\n") + "\n";
    if (!mounted) {
      writeFileSync(path, "");
      // a clone(CLONE_NEWNET) child of kubun bind-mounts its namespace at `path` and runs `ip -batch`
      // in it; then the host end joins the bridge from kubun's own namespace
      const made = await runInNewNetns(path, ["ip", "-batch", "-"], inPod).then(() => true, () => false);
      if (made && (await shOk(["ip", "-batch", "-"], onHost))) return ip;
      if (!made && !(await shOk(["nsenter", `--net=${path}`, "true"]))) {
        // no namespace was made at all (e.g. a kernel refusing the clone): the same with unshare(1)
        const script = `ip -batch - <<'IN'\n${inPod}IN\nnsenter --net=/proc/${process.pid}/ns/net ip -batch - <<'HOST'\n${onHost}HOST\n`;
        if (await shOk(["unshare", `--net=${path}`, "sh", "-ec", script])) return ip;
      }
      // a stale host end from an interrupted setup: remove it and retry inside the namespace
      await shOk(["ip", "link", "del", veth]);
      await shOk(["nsenter", `--net=${path}`, "ip", "link", "del", "eth0"]);
      await sh(["nsenter", `--net=${path}`, "ip", "-batch", "-"], inPod.replace("link set lo up\n", ""));
    } else {
      await shOk(["nsenter", `--net=${path}`, "ip", "link", "del", "eth0"]);
      await sh(["nsenter", `--net=${path}`, "ip", "-batch", "-"], inPod);
    }
    await sh(["ip", "-batch", "-"], onHost);
    return ip;
  }

  /** Remove the pod's namespace (its veth goes with it) and release the address. */
  async teardown(podUid: string): Promise<void> {
    const id = this.owners[podUid] ?? podUid;
    await this.destroy(id);
    this.ipam.release(podUid);
    if (this.owners[podUid]) {
      delete this.owners[podUid];
      this.saveOwners();
    }
  }

  private async destroy(id: string): Promise<void> {
    const path = join(this.netnsDir, id);
    await shOk(["ip", "link", "del", vethName(id)]);
    if (existsSync(path)) {
      await shOk(["umount", "-l", path]);
      rmSync(path, { force: true });
    }
    this.ipam.release(id);
  }

  /** Pod uids with a sandbox on this node (for garbage collection after restarts); warm ones are not pods. */
  known(): string[] {
    const byId = new Map(Object.entries(this.owners).map(([uid, id]) => [id, uid]));
    const files = existsSync(this.netnsDir) ? readdirSync(this.netnsDir) : [];
    return [...new Set([...Object.keys(this.owners), ...files.filter((f) => !f.startsWith(WARM) && !byId.has(f))])];
  }
}
