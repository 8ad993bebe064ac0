// Resolve a path inside an image root made of overlay layers without following links out of it
// (runc's securejoin): mount points are created on the host, so a symlink such as /var/run -> /run
// must land inside the container root, never on the host.
import { lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";

function lookup(layers: string[], rel: string): { link: string | null; exists: boolean } {
  for (let i = layers.length - 1; i >= 0; i--) {
    try {
      const st = lstatSync(join(layers[i], rel));
      if (st.isCharacterDevice() && st.rdev === 0) return { link: null, exists: false }; // whiteout
      return { link: st.isSymbolicLink() ? readlinkSync(join(layers[i], rel)) : null, exists: true };
    } catch {
      // not in this layer
    }
  }
  return { link: null, exists: false };
}

/** The target's real location relative to the container root, e.g. /var/run/x → /run/x. */
export function resolveInRoot(layers: string[], target: string): string {
  let todo = target.split("/").filter(Boolean);
  const done: string[] = [];
  for (let hops = 0; todo.length > 0; ) {
    const part = todo.shift()!;
    if (part === "." ) continue;
    if (part === "..") {
      done.pop(); // cannot climb above the root
      continue;
    }
    const rel = [...done, part].join("/");
    const { link } = lookup(layers, rel);
    if (link === null) {
      done.push(part);
      continue;
    }
    if (++hops > 40) throw new Error(`too many symlinks resolving ${target}`);
    const parts = link.split("/").filter(Boolean);
    if (link.startsWith("/")) done.length = 0;
    todo = [...parts, ...todo];
  }
  return "/" + done.join("/");
}
