import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { sepChain, svcChain } from "./hash.ts";

// the textbook definition the fast hash16 must agree with
function reference(s: string): string {
  const d = createHash("sha256").update(s).digest();
  let bits = "";
  for (const b of d.subarray(0, 10)) bits += b.toString(2).padStart(8, "0");
  return Array.from({ length: 16 }, (_, i) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]).join("");
}

describe("chain name hashing", () => {
  test("matches base32(sha256) for many names, incl. non-ASCII", () => {
    for (let i = 0; i < 2000; i++) {
      const spn = `ns${i % 7}/svc-${i}:${i % 3 ? "http" : ""}é`;
      expect(svcChain(spn, "TCP")).toBe("KUBE-SVC-" + reference(spn + "tcp"));
      expect(sepChain(spn, "udp", `10.42.${i >> 8}.${i & 255}:53`)).toBe("KUBE-SEP-" + reference(`${spn}udp10.42.${i >> 8}.${i & 255}:53`));
    }
  });
  test("kube-proxy's value for a known service port", () => {
    expect(svcChain("ns1/svc1:p80", "TCP")).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
  });
});
