import { expect, test } from "bun:test";
import { renderNat } from "./iptables.ts";

test("masquerade and hostport chains; hooks only once", () => {
  const t = renderNat("10.42.0.0/16", [{ podIP: "10.42.0.5", hostPort: 8080, containerPort: 80, protocol: "TCP", pod: "default/web" }], { post: false, pre: false, out: false });
  expect(t).toContain("-A KUBUN-POSTROUTING -s 10.42.0.0/16 ! -d 10.42.0.0/16");
  expect(t).toContain("-j DNAT --to-destination 10.42.0.5:80");
  expect(t).toContain("-A PREROUTING");
  expect(t.trim().endsWith("COMMIT")).toBe(true);
  const again = renderNat("10.42.0.0/16", [], { post: true, pre: true, out: true });
  expect(again).not.toContain("-A PREROUTING");
  expect(again).not.toContain("DNAT");
});
