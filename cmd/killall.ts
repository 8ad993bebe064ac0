// `kubun killall`: stop every pod and remove kubun's mounts, network namespaces, bridge and iptables rules.
import { killall } from "../pkg/server/killall.ts";
import { parseFlags, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const flags: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder holding kubun's state", category: "" },
  { name: "cgroup-root", type: "string", default: "/kubun", usage: "Pod cgroup root (relative: to this process's own cgroup in each hierarchy)", category: "" },
  { name: "service-cidr", type: "string", default: "10.43.0.0/16", usage: "Service CIDR whose fallback route over lo is removed", category: "" },
  { name: "node-name", type: "strings", default: [], usage: "Node whose pod network namespaces are removed (default: every node under /run/kubun/netns)", category: "", env: false },
  { name: "force", type: "bool", default: false, usage: "Proceed although a kubun server still runs on the data dir", category: "", env: false },
];

export async function runKillallCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(renderHelp("kubun killall [options]", "Stop all pods and remove kubun's mounts, network namespaces, the cni0 bridge and kubun's iptables rules. The kubun server itself must be stopped first.", flags));
    return 0;
  }
  const { values: v, args } = parseFlags(flags, argv, env);
  if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
  const nodes = (v["node-name"] as string[]).filter(Boolean);
  const { remaining } = await killall({
    dataDir: String(v["data-dir"]),
    cgroupRoot: String(v["cgroup-root"]),
    nodeNames: nodes.length ? nodes : undefined,
    serviceCIDR: String(v["service-cidr"]),
    force: Boolean(v.force),
    out: (l) => console.log(l),
  });
  for (const r of remaining) console.error(`not removed: ${r}`);
  return remaining.length ? 1 : 0;
}
