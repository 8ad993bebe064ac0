// `kubun token create|list|delete`: bearer tokens in <data-dir>/server/cred/tokens.csv.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import { parseTokenFile, randomToken, renderTokenFile, tokenFile, type TokenEntry } from "../pkg/apiserver/authn/index.ts";
import { parseFlags, renderHelp, UsageError, type FlagSpec } from "./flags.ts";

const flags: FlagSpec[] = [
  { name: "data-dir", short: "d", type: "string", default: "/var/lib/kubun", usage: "Folder to hold state", category: "" },
  { name: "user", type: "string", default: "", usage: "User name the token authenticates as (default: kubun-token-<id>)", category: "", env: false },
  { name: "groups", type: "strings", default: ["system:masters"], usage: "Groups of the token's user", category: "", env: false },
  { name: "description", type: "string", default: "", usage: "A human friendly description of how this token is used", category: "", env: false },
];

const help = () => renderHelp("kubun token create|list|delete ID", "Manage bearer tokens accepted by the API server.", flags);

function load(path: string): TokenEntry[] {
  return existsSync(path) ? parseTokenFile(readFileSync(path, "utf8")) : [];
}

function save(path: string, entries: TokenEntry[]) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, renderTokenFile(entries), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Token ids are the uid column: `kubun-<6 hex>`. */
export function createToken(dataDir: string, o: { user?: string; groups: string[] }): TokenEntry {
  const path = tokenFile(dataDir);
  const entries = load(path);
  const id = randomToken(3);
  const e: TokenEntry = { token: `${id}.${randomToken(16)}`, user: o.user || `kubun-token-${id}`, uid: id, groups: o.groups };
  save(path, [...entries, e]);
  return e;
}

export async function runTokenCommand(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h" || rest.includes("--help")) {
    console.log(help());
    return 0;
  }
  const { values: v, args } = parseFlags(flags, rest, env);
  const path = tokenFile(String(v["data-dir"]));
  switch (verb) {
    case "create": {
      const e = createToken(String(v["data-dir"]), { user: String(v.user), groups: v.groups as string[] });
      console.log(e.token);
      return 0;
    }
    case "list":
    case "ls": {
      console.log(`${"TOKEN".padEnd(16)} ${"USER".padEnd(28)} GROUPS`);
      for (const e of load(path)) console.log(`${(e.token.split(".")[0].slice(0, 6) + "…").padEnd(16)} ${e.user.padEnd(28)} ${e.groups.join(",")}`);
      return 0;
    }
    case "delete":
    case "rm": {
      if (!args.length) throw new UsageError("delete needs a token id (the part before the dot)");
      const entries = load(path);
      const keep = entries.filter((e) => !args.some((a) => e.uid === a || e.token.split(".")[0] === a || e.token === a));
      if (keep.length === entries.length) throw new UsageError(`no token ${args.join(", ")}`);
      save(path, keep);
      console.log(`Deleted ${entries.length - keep.length} token(s)`);
      return 0;
    }
    default:
      throw new UsageError(`unknown token command "${verb}"`);
  }
}
