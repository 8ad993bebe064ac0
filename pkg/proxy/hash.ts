// Chain names hashed exactly like kube-proxy's proxier.go (portProtoHash): the first 16
// characters of base32(sha256(servicePortName + protocol)), protocol in lower case.
import { createHash } from "node:crypto";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 (standard alphabet, no padding needed for the 16-char prefix). */
function base32(buf: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function hash16(s: string): string {
  return base32(createHash("sha256").update(s).digest()).slice(0, 16);
}

/** "namespace/name:port" (or "namespace/name" for an unnamed port), as ServicePortName.String(). */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port ? `${namespace}/${name}:${port}` : `${namespace}/${name}`;
}

export const svcChain = (spn: string, proto: string) => "KUBE-SVC-" + hash16(spn + proto.toLowerCase());
export const svlChain = (spn: string, proto: string) => "KUBE-SVL-" + hash16(spn + proto.toLowerCase());
export const extChain = (spn: string, proto: string) => "KUBE-EXT-" + hash16(spn + proto.toLowerCase());
export const fwChain = (spn: string, proto: string) => "KUBE-FW-" + hash16(spn + proto.toLowerCase());
/** endpoint is "ip:port". */
export const sepChain = (spn: string, proto: string, endpoint: string) => "KUBE-SEP-" + hash16(spn + proto.toLowerCase() + endpoint);
