// Pod network sandboxes with iproute2 (a required host tool): one network namespace per pod kept by a
// bind mount (`unshare --net=<file>`), a veth pair whose host end joins bridge cni0 (hairpin on), the
// pod end renamed eth0 with an address from the podCIDR and a default route via the bridge.
// iproute2 rather than netlink from FFI: three short commands per pod, and the behaviour is that of
// the tools every operator debugs with.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Ipam, cidrRange, gatewayOf } from "./ipam.ts";
import { sh, shOk } from "./exec.ts";

export const BRIDGE = "cni0";

export interface Sandbox {
  netnsPath: string;
  ip: string;
}

/** Host-side veth name: stable per pod, ≤ 15 chars. */
export const vethName = (podUid: string) => `veth${createHash("sha256").update(podUid).digest("hex").slice(0, 8)}`;

export class PodNetwork {
  readonly ipam: Ipam;
  readonly gateway: string;

  constructor(readonly netnsDir: string, stateDir: string, readonly podCIDR: string) {
    this.ipam = new Ipam(join(stateDir, "ipam.json"), podCIDR);
    this.gateway = gatewayOf(podCIDR);
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
    return join(this.netnsDir, podUid);
  }

  /** Create (or find again after a restart) the pod's namespace and interface. */
  async setup(podUid: string): Promise<Sandbox> {
    const path = this.netnsPath(podUid);
    const ip = this.ipam.allocate(podUid);
    const veth = vethName(podUid);
    const mounted = existsSync(path) && (await shOk(["nsenter", `--net=${path}`, "true"]));
    if (mounted && (await shOk(["ip", "link", "show", veth]))) return { netnsPath: path, ip };
    const prefix = cidrRange(this.podCIDR).prefix;
    const inPod = [
      "link set lo up",
      // created from inside the pod namespace, the host end goes straight to kubun's namespace
      `link add eth0 type veth peer name ${veth} netns /proc/${process.pid}/ns/net`,
      `addr add ${ip}/${prefix} dev eth0`,
      "link set eth0 up",
      `route add default via ${this.gateway} dev eth0 onlink`,
    ].join("\n") + "\n";
    if (!mounted) {
      writeFileSync(path, "");
      // one process: create the namespace (kept by the bind mount) and configure it
      const ok = await shOk(["unshare", `--net=${path}`, "ip", "-batch", "-"], inPod);
      if (!ok) {
        // a stale host end from an interrupted setup: remove it and retry inside the namespace
        await shOk(["ip", "link", "del", veth]);
        await shOk(["nsenter", `--net=${path}`, "ip", "link", "del", "eth0"]);
        await sh(["nsenter", `--net=${path}`, "ip", "-batch", "-"], inPod.replace("link set lo up\n", ""));
      }
    } else {
      await shOk(["nsenter", `--net=${path}`, "ip", "link", "del", "eth0"]);
      await sh(["nsenter", `--net=${path}`, "ip", "-batch", "-"], inPod);
    }
    await sh(["ip", "-batch", "-"], [
      `link set ${veth} master ${BRIDGE}`,
      `link set ${veth} type bridge_slave hairpin on`,
      `link set ${veth} up`,
    ].join("\n") + "\n");
    return { netnsPath: path, ip };
  }

  /** Remove the namespace (its veth goes with it) and release the address. */
  async teardown(podUid: string): Promise<void> {
    const path = this.netnsPath(podUid);
    await shOk(["ip", "link", "del", vethName(podUid)]);
    if (existsSync(path)) {
      await shOk(["umount", "-l", path]);
      rmSync(path, { force: true });
    }
    this.ipam.release(podUid);
  }

  /** Pod uids with a namespace on this node (for garbage collection after restarts). */
  known(): string[] {
    return existsSync(this.netnsDir) ? readdirSync(this.netnsDir) : [];
  }
}
