// Chain names hashed exactly like kube-proxy's proxier.go (portProtoHash): the first 16
// characters of base32(sha256(servicePortName + protocol)), protocol in lower case.
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The first 16 characters of RFC 4648 base32(sha256(s)): exactly the digest's first 10 bytes,
 * taken as two 40-bit groups (exact in a double). Hot: a full render hashes ~20k names.
 */
function hash16(s: string): string {
  const d = Bun.SHA256.hash(s) as Uint8Array;
  let out = "";
  for (let g = 0; g < 10; g += 5) {
    let v = d[g]! * 2 ** 32 + d[g + 1]! * 2 ** 24 + d[g + 2]! * 2 ** 16 + d[g + 3]! * 2 ** 8 + d[g + 4]!;
    let chunk = "";
    for (let i = 0; i < 8; i++) {
      chunk = B32[v % 32]! + chunk;
      v = Math.floor(v / 32);
    }
    out += chunk;
  }
  return out;
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
