// argv[0] without a slash is looked up in the container's PATH inside the image layers, as runc and
// containerd do (the runtime execs the path as given). Images without PATH get containerd's default.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { resolveInRoot } from "../runtime/rootpath.ts";

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function existsIn(layers: string[], path: string): boolean {
  const rel = resolveInRoot(layers, path).replace(/^\/+/, "");
  for (let i = layers.length - 1; i >= 0; i--) {
    try {
      const st = lstatSync(join(layers[i], rel));
      if (st.isCharacterDevice() && st.rdev === 0) return false; // whiteout
      return st.isFile();
    } catch {}
  }
  return false;
}

/** The absolute program path, or the name unchanged when not found (the start then fails with ENOENT like upstream). */
export function lookPath(layers: string[], env: string[], name: string): string {
  if (name.includes("/")) return name;
  const pathVar = env.find((e) => e.startsWith("PATH="))?.slice(5) ?? DEFAULT_PATH;
  for (const dir of pathVar.split(":")) {
    if (!dir.startsWith("/")) continue;
    const p = join(dir, name);
    try {
      if (existsIn(layers, p)) return p;
    } catch {}
  }
  return name;
}
