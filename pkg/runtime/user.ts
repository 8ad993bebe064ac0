// Resolve an image/pod user ("1000", "user", "user:group", "1000:50") against the image's /etc/passwd and
// /etc/group, as containerd does; supplementary groups come from /etc/group membership.
import { readFileSync, lstatSync } from "node:fs";
import { join } from "node:path";

export interface ResolvedUser {
  uid: number;
  gid: number;
  groups: number[];
  home: string;
}

/** Read a file from the highest layer that has it (whiteouts hide it). */
function readFromLayers(layers: string[], path: string): string | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const p = join(layers[i], path);
    try {
      const st = lstatSync(p);
      if (st.isCharacterDevice() && st.rdev === 0) return null;
      if (st.isFile()) return readFileSync(p, "utf8");
      return null;
    } catch {
      // not in this layer
    }
  }
  return null;
}

const rows = (text: string | null) => (text ?? "").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(":"));

export function resolveUser(layers: string[], spec: string | undefined): ResolvedUser {
  const [u = "0", g] = (spec || "0").split(":");
  const passwd = rows(readFromLayers(layers, "etc/passwd"));
  const group = rows(readFromLayers(layers, "etc/group"));
  const numeric = /^\d+$/;
  const pw = numeric.test(u) ? passwd.find((r) => r[2] === u) : passwd.find((r) => r[0] === u);
  if (!pw && !numeric.test(u)) throw new Error(`unable to find user ${u}: no matching entries in passwd file`);
  const uid = pw ? Number(pw[2]) : Number(u);
  let gid = pw ? Number(pw[3]) : 0;
  if (g !== undefined) {
    if (numeric.test(g)) gid = Number(g);
    else {
      const gr = group.find((r) => r[0] === g);
      if (!gr) throw new Error(`unable to find group ${g}: no matching entries in group file`);
      gid = Number(gr[2]);
    }
  }
  const name = pw?.[0];
  const extra = name ? group.filter((r) => (r[3] ?? "").split(",").includes(name)).map((r) => Number(r[2])) : [];
  return { uid, gid, groups: [...new Set([gid, ...extra])], home: pw?.[5] || "/" };
}
