// Applies policy rules inside a network namespace this test creates and checks real traffic.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createNetFixture, type NetFixture } from "../proxy/netns.fixture.ts";
import { detectBackend, type Backend } from "../proxy/iptables.ts";
import { applyPolicies, cleanupPolicies } from "./enforcer.ts";
import { pod, policy, ns } from "./testdata.ts";

let fx: NetFixture;
let b: Backend;
const pods = [pod("default", "web", "10.42.0.2", { app: "web" }, [{ name: "http", containerPort: 8080 }]), pod("default", "client", "10.42.0.3", { role: "client" }), pod("default", "other", "10.42.0.4", { role: "other" })];
const input = (policies: any[]) => ({ nodeName: "node1", policies, pods, namespaces: [ns("default")] });

beforeAll(async () => {
  fx = await createNetFixture("np");
  b = await detectBackend(fx.runNode);
  await fx.addPod(2);
  await fx.addPod(3, 0);
  await fx.addPod(4, 0);
});
afterAll(async () => {
  await fx?.close();
});

test("deny-all, then allow from one labelled pod on a named port; node stays allowed", async () => {
  const url = "http://10.42.0.2:8080/";
  expect((await fx.get(fx.pods[1]!.ns, url)).body).toBe("pod2");
  expect((await fx.get(fx.pods[2]!.ns, url)).body).toBe("pod2");

  await applyPolicies(fx.runNode, b, input([policy("default", "deny", { podSelector: { matchLabels: { app: "web" } }, ingress: [] })]));
  const denied = await fx.get(fx.pods[1]!.ns, url, 3);
  expect(denied.body).toBeUndefined();
  expect((await fx.get(fx.pods[2]!.ns, url, 3)).body).toBeUndefined();
  expect((await fx.get(fx.node, url)).body).toBe("pod2");

  await applyPolicies(
    fx.runNode,
    b,
    input([
      policy("default", "deny", { podSelector: { matchLabels: { app: "web" } }, ingress: [] }),
      policy("default", "allow-client", { podSelector: { matchLabels: { app: "web" } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: "client" } } }], ports: [{ port: "http" }] }] }),
    ]),
  );
  expect((await fx.get(fx.pods[1]!.ns, url)).body).toBe("pod2");
  expect((await fx.get(fx.pods[2]!.ns, url, 3)).body).toBeUndefined();

  await applyPolicies(fx.runNode, b, input([]));
  expect((await fx.get(fx.pods[2]!.ns, url)).body).toBe("pod2");
  const before = await fx.runNode([b.save, "-t", "filter"]);
  expect(before).not.toContain("KUBUN-NPI-");
  await cleanupPolicies(fx.runNode, b);
  expect(await fx.runNode([b.save, "-t", "filter"])).not.toContain("KUBUN-");
}, 60_000);
