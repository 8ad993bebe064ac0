// k3s airgap behaviour: at start, import every image archive found in <data-dir>/agent/images/.
import { readdirSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ImageRecord, ImageStore } from "../types.ts";

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd|tzst)$/;

export interface AirgapResult {
  imported: { file: string; images: ImageRecord[] }[];
  failed: { file: string; error: string }[];
}

/** Import every archive in dir (sorted by name); a broken archive is reported, not fatal. */
export async function importImageDir(store: ImageStore, dir: string): Promise<AirgapResult> {
  const res: AirgapResult = { imported: [], failed: [] };
  if (!existsSync(dir)) return res;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!ARCHIVE.test(name) || !statSync(file).isFile()) continue;
    try {
      res.imported.push({ file, images: await store.importArchive(file) });
    } catch (e) {
      res.failed.push({ file, error: (e as Error).message });
    }
  }
  return res;
}
