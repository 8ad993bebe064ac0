// `kubun images import|ls|rm|pull`: the node's content-addressed image store (<data-dir>/agent/content).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ContentStore } from "../pkg/runtime/images/store.ts";
import type { RegistriesConfig } from "../pkg/runtime/types.ts";
import { parseFlags, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const flags: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder to hold state", category: "" },
  { name: "registries", type: "string", default: "/etc/kubun/registries.yaml", usage: "Registry mirrors and credentials (k3s registries.yaml format)", category: "", env: "KUBUN_REGISTRIES" },
  { name: "name", type: "string", default: "", usage: "import: name to give an untagged image", category: "", env: false },
  { name: "quiet", short: "q", type: "bool", default: false, usage: "ls: only image references", category: "", env: false },
];

function loadRegistries(path: string): RegistriesConfig | undefined {
  if (!existsSync(path)) return undefined;
  const doc = parseYaml(readFileSync(path, "utf8"));
  if (doc == null) return undefined;
  if (typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`${path}: expected mirrors: and configs: mappings`);
  return doc as RegistriesConfig;
}

const human = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)}GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}kB` : `${n}B`);

export async function runImagesCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h") {
    console.log(renderHelp("kubun images import FILE...|ls|rm REF...|pull REF", "Manage images on this node (airgap archives: docker save or OCI layout, plain, gzip or zstd).", flags));
    return 0;
  }
  const { values: v, args } = parseFlags(flags, rest, env);
  const store = new ContentStore({ root: join(String(v["data-dir"]), "agent", "content"), registries: loadRegistries(String(v.registries)) });
  switch (verb) {
    case "import": {
      if (!args.length) throw new UsageError("import needs at least one archive");
      for (const file of args) {
        const imgs = await store.importArchive(file, { name: String(v.name) || undefined });
        for (const i of imgs) console.log(`imported ${i.refs.join(", ") || i.id} (${i.id.slice(0, 19)})`);
      }
      return 0;
    }
    case "ls":
    case "list": {
      const imgs = store.list();
      if (v.quiet) for (const i of imgs) for (const r of i.refs) console.log(r);
      else {
        console.log(`${"IMAGE".padEnd(56)} ${"ID".padEnd(19)} SIZE`);
        for (const i of imgs) for (const r of i.refs.length ? i.refs : ["<none>"]) console.log(`${r.padEnd(56)} ${i.id.replace("sha256:", "").slice(0, 12).padEnd(19)} ${human(i.size)}`);
      }
      return 0;
    }
    case "rm":
    case "remove": {
      if (!args.length) throw new UsageError("rm needs an image reference or id");
      for (const r of args) {
        if (!store.get(r)) throw new UsageError(`no image ${r}`);
        await store.remove(r);
        console.log(`removed ${r}`);
      }
      const freed = await store.gc();
      if (freed) console.log(`freed ${human(freed)}`);
      return 0;
    }
    case "pull": {
      if (args.length !== 1) throw new UsageError("pull needs exactly one image reference");
      const seen = new Set<string>();
      const img = await store.pull(args[0], {
        onProgress: (p) => {
          if (p.done === p.total && !seen.has(p.layer)) {
            seen.add(p.layer);
            console.log(`${p.layer.slice(0, 19)}: done ${human(p.total)}`);
          }
        },
      });
      console.log(`pulled ${img.refs.join(", ")} (${img.id})`);
      return 0;
    }
    default:
      throw new UsageError(`unknown images command "${verb}"`);
  }
}
