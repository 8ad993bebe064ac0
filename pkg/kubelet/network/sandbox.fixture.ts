// Child process of sandbox.test.ts: runs inside the test's own network and mount namespaces.
import { join } from "node:path";
import { PodNetwork, vethName } from "./sandbox.ts";
import { shOk, sh } from "./exec.ts";

const dir = process.argv[2];
const net = new PodNetwork(join(dir, "netns"), dir, "10.99.0.0/24");
await net.setupHost();
const a = await net.setup("pod-a");
const b = await net.setup("pod-b");
const again = await net.setup("pod-a");
if (again.ip !== a.ip) throw new Error("setup is not idempotent");
const pingPeer = await shOk(["nsenter", `--net=${a.netnsPath}`, "busybox", "ping", "-c1", "-W2", b.ip]);
const pingGateway = await shOk(["nsenter", `--net=${b.netnsPath}`, "busybox", "ping", "-c1", "-W2", net.gateway]);
// /sys belongs to the original namespace: ask iproute2
const hairpin = /hairpin on/.test(await sh(["ip", "-d", "link", "show", vethName("pod-a")])) ? "1" : "0";
await net.teardown("pod-a");
await net.teardown("pod-b");
const linksAfter = await sh(["ip", "-o", "link"]);
console.log(JSON.stringify({ ips: [a.ip, b.ip], pingPeer, pingGateway, hairpin, after: net.known(), linksAfter }));
