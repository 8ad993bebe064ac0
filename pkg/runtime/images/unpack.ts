// Unpack one layer tar into a directory usable as an overlay lower dir, refusing anything that escapes it.
// Whiteouts become 0/0 character devices and opaque markers the trusted.overlay.opaque xattr (overlayfs' own format).
import { mkdirSync, lstatSync, writeSync, openSync, closeSync, symlinkSync, linkSync, lchownSync, chmodSync, rmSync, lutimesSync, constants } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import tar from "tar-stream";
import { mknod, lsetxattr } from "../../../ffi/libc.ts";

export class LayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LayerError";
  }
}

const S_IFCHR = 0o020000, S_IFBLK = 0o060000, S_IFIFO = 0o010000;

/** tar name → safe relative parts; throws on absolute names and `..` */
export function safeParts(name: string, what = "entry"): string[] {
  if (name.startsWith("/")) throw new LayerError(`layer ${what} ${JSON.stringify(name)} is an absolute path`);
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new LayerError(`layer ${what} ${JSON.stringify(name)} escapes the layer root`);
  return parts;
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** every existing ancestor inside the layer must be a real directory (no writing through symlinks) */
function checkParents(root: string, parts: string[], name: string): void {
  let cur = root;
  for (const p of parts.slice(0, -1)) {
    cur = join(cur, p);
    const st = lstatOrNull(cur);
    if (!st) mkdirSync(cur, { mode: 0o755 });
    else if (st.isSymbolicLink()) throw new LayerError(`layer entry ${JSON.stringify(name)} goes through symlink ${JSON.stringify(parts.slice(0, parts.indexOf(p) + 1).join("/"))}`);
    else if (!st.isDirectory()) throw new LayerError(`layer entry ${JSON.stringify(name)}: parent is not a directory`);
  }
}

export interface UnpackStats {
  entries: number;
  bytes: number;
}

/** Extract a decompressed tar stream into dest (which must exist and be empty). */
export async function unpackLayer(input: Readable, dest: string): Promise<UnpackStats> {
  const extract = tar.extract();
  input.on("error", (e) => extract.destroy(e));
  input.pipe(extract);
  const dirs: { path: string; mode: number; mtime?: Date }[] = [];
  const times: { path: string; mtime: Date }[] = [];
  const stats: UnpackStats = { entries: 0, bytes: 0 };
  for await (const entry of extract) {
    const h = entry.header;
    stats.entries++;
    const parts = safeParts(h.name);
    if (parts.length === 0) {
      entry.resume();
      continue; // the layer root itself
    }
    checkParents(dest, parts, h.name);
    const base = parts[parts.length - 1];
    const parent = join(dest, ...parts.slice(0, -1));
    if (base === ".wh..wh..opq") {
      lsetxattr(parent, "trusted.overlay.opaque", Buffer.from("y"));
      entry.resume();
      continue;
    }
    if (base.startsWith(".wh.")) {
      const victim = join(parent, base.slice(4));
      rmSync(victim, { recursive: true, force: true });
      mknod(victim, S_IFCHR | 0o600, 0, 0);
      entry.resume();
      continue;
    }
    const path = join(dest, ...parts);
    const existing = lstatOrNull(path);
    if (existing && !(existing.isDirectory() && h.type === "directory")) rmSync(path, { recursive: true, force: true });
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case "directory":
        if (!existing) mkdirSync(path, { mode: 0o700 });
        dirs.push({ path, mode, mtime: h.mtime });
        break;
      case "file":
      case "contiguous-file": {
        const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
        try {
          for await (const chunk of entry) {
            writeSync(fd, chunk as Buffer);
            stats.bytes += (chunk as Buffer).length;
          }
        } finally {
          closeSync(fd);
        }
        break;
      }
      case "symlink":
        symlinkSync(h.linkname ?? "", path);
        break;
      case "link": {
        const target = safeParts(h.linkname ?? "", "hard link target");
        checkParents(dest, target, h.linkname ?? "");
        const tpath = join(dest, ...target);
        const st = lstatOrNull(tpath);
        if (!st || st.isDirectory()) throw new LayerError(`layer hard link ${JSON.stringify(h.name)} → ${JSON.stringify(h.linkname)}: target missing or a directory`);
        linkSync(tpath, path);
        break;
      }
      case "character-device":
      case "block-device":
      case "fifo": {
        const type = h.type === "fifo" ? S_IFIFO : h.type === "block-device" ? S_IFBLK : S_IFCHR;
        mknod(path, type | mode, h.devmajor ?? 0, h.devminor ?? 0);
        break;
      }
      default:
        entry.resume();
        continue; // pax/GNU metadata already folded into headers; others are skipped
    }
    if (h.type !== "file" && h.type !== "contiguous-file") entry.resume();
    if (h.type !== "link") lchownSync(path, h.uid ?? 0, h.gid ?? 0);
    // after chown, which clears set-id bits; not affected by the umask either
    if (h.type !== "symlink" && h.type !== "link" && h.type !== "directory") chmodSync(path, mode);
    for (const [k, v] of Object.entries((h as { pax?: Record<string, string> }).pax ?? {})) {
      if (k.startsWith("SCHILY.xattr.")) lsetxattr(path, k.slice(13), Buffer.from(v, "latin1"));
    }
    if (h.type !== "directory" && h.type !== "link" && h.mtime) times.push({ path, mtime: h.mtime });
  }
  for (const t of times) lutimesSync(t.path, t.mtime, t.mtime);
  // directory modes last: a read-only directory must not stop its own entries
  for (const d of dirs.reverse()) {
    chmodSync(d.path, d.mode);
    if (d.mtime) lutimesSync(d.path, d.mtime, d.mtime);
  }
  return stats;
}
