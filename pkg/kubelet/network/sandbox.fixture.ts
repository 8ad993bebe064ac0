// Child process of sandbox.test.ts: runs inside the test's own network and mount namespaces.
import { join } from "node:path";
import { readdirSync } from "node:fs";
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
// a pre-warmed sandbox is claimed by the next pod and the pool refills
await net.prewarm(1);
const c = await net.setup("pod-c");
const warmClaimed = c.netnsPath.includes("warm-");
const pingWarm = await shOk(["nsenter", `--net=${c.netnsPath}`, "busybox", "ping", "-c1", "-W2", a.ip]);
const knownWithWarm = net.known().sort();
await net.teardown("pod-a");
await net.teardown("pod-b");
await net.teardown("pod-c");
await net.prewarm(0);
const linksAfter = await sh(["ip", "-o", "link"]);
for (let i = 0; i < 100 && readdirSync(join(dir, "netns")).filter((f) => f.startsWith("warm-")).length < 1; i++) await Bun.sleep(20);
const warmLeft = readdirSync(join(dir, "netns")).filter((f) => f.startsWith("warm-")).length;
console.log(JSON.stringify({ ips: [a.ip, b.ip], pingPeer, pingGateway, hairpin, after: net.known(), linksAfter, warmClaimed, pingWarm, knownWithWarm, warmLeft, cIp: c.ip }));
