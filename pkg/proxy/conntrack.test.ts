import { expect, test } from "bun:test";
import { clearStaleUDP } from "./iptables.ts";

test("UDP endpoints that left and UDP services that gained endpoints get their conntrack entries deleted", async () => {
  const calls: string[] = [];
  const run = async (argv: string[]) => {
    calls.push(argv.join(" "));
    // conntrack exits 1 when nothing matched: must not fail the sync
    if (argv.includes("--reply-src")) throw new Error("exit 1: 0 flow entries have been deleted");
    return "";
  };
  await clearStaleUDP(run, ["10.42.0.9:53"], ["10.43.0.10:53"]);
  expect(calls).toEqual([
    "conntrack -D -p udp --orig-dst 10.42.0.9",
    "conntrack -D -p udp --reply-src 10.42.0.9",
    "conntrack -D -p udp --orig-dst 10.43.0.10 --dport 53",
  ]);
});
