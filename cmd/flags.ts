// Flag parsing for every kubun command: flag > KUBUN_* env > config file > default (k3s precedence).
import { parse as parseYaml } from "yaml";

export type FlagType = "string" | "int" | "bool" | "strings";

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  default?: string | number | boolean | string[];
  usage: string;
  category: string;
  /** Environment variable; defaults to KUBUN_<NAME> with dashes as underscores. */
  env?: string | false;
  hidden?: boolean;
  /** For string flags: the placeholder shown in help. */
  placeholder?: string;
}

export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

export class UsageError extends Error {}

export const envName = (f: FlagSpec) => (f.env === false ? undefined : f.env ?? `KUBUN_${f.name.toUpperCase().replace(/-/g, "_")}`);

function coerce(f: FlagSpec, raw: unknown, source: string): string | number | boolean | string[] {
  switch (f.type) {
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (/^(true|1|yes)$/i.test(String(raw))) return true;
      if (/^(false|0|no)$/i.test(String(raw))) return false;
      throw new UsageError(`invalid boolean for --${f.name} from ${source}: ${raw}`);
    case "int": {
      const n = typeof raw === "number" ? raw : Number(String(raw).trim());
      if (!Number.isInteger(n)) throw new UsageError(`invalid integer for --${f.name} from ${source}: ${raw}`);
      return n;
    }
    case "strings":
      if (Array.isArray(raw)) return raw.map(String);
      return String(raw)
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      if (typeof raw === "object") throw new UsageError(`invalid value for --${f.name} from ${source}`);
      return String(raw);
  }
}

/** Parse argv (after the command name). Returns values and positional args. */
export function parseFlags(
  specs: FlagSpec[],
  argv: string[],
  env: Record<string, string | undefined>,
  configFile?: Record<string, unknown>,
): { values: FlagValues; args: string[]; explicit: Set<string> } {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const fromFlags: FlagValues = {};
  const explicit = new Set<string>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
    } else if (a.startsWith("-") && a.length > 1) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(1, eq) : a.slice(1);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byShort.get(name) ?? byName.get(name);
      if (!spec) throw new UsageError(`unknown shorthand flag: ${a}`);
    } else {
      args.push(a);
      continue;
    }
    let raw: string;
    if (inline !== undefined) raw = inline;
    else if (spec.type === "bool") raw = "true";
    else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${spec.name}`);
      raw = argv[++i];
    }
    const v = coerce(spec, raw, "flag");
    explicit.add(spec.name);
    if (spec.type === "strings") fromFlags[spec.name] = [...((fromFlags[spec.name] as string[]) ?? []), ...(v as string[])];
    else fromFlags[spec.name] = v;
  }
  const values: FlagValues = {};
  for (const s of specs) {
    if (s.name in fromFlags) {
      values[s.name] = fromFlags[s.name];
      continue;
    }
    const en = envName(s);
    if (en && env[en] !== undefined && env[en] !== "") {
      values[s.name] = coerce(s, env[en], `$${en}`);
      continue;
    }
    if (configFile && s.name in configFile) {
      values[s.name] = coerce(s, configFile[s.name], "config file");
      continue;
    }
    values[s.name] = s.default;
  }
  return { values, args, explicit };
}

/** Read a YAML config file of flag names to values; missing file → {}. */
export async function readConfigFile(path: string, required: boolean): Promise<Record<string, unknown>> {
  const f = Bun.file(path);
  if (!(await f.exists())) {
    if (required) throw new UsageError(`config file ${path} not found`);
    return {};
  }
  let doc: unknown;
  try {
    doc = parseYaml(await f.text(), { maxAliasCount: 10 });
  } catch (e) {
    throw new UsageError(`config file ${path}: ${(e as Error).message}`);
  }
  if (doc == null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`config file ${path}: expected a mapping of flag names to values`);
  return doc as Record<string, unknown>;
}

/** Help text grouped by category, like k3s's. */
export function renderHelp(usage: string, description: string, specs: FlagSpec[]): string {
  const lines = [`NAME:\n   ${usage}\n`, `DESCRIPTION:\n   ${description}\n`, "OPTIONS:"];
  const cats = [...new Set(specs.filter((s) => !s.hidden).map((s) => s.category))];
  for (const c of cats) {
    if (c) lines.push(`   ${c}`);
    for (const s of specs.filter((x) => x.category === c && !x.hidden)) {
      const names = (s.short ? `-${s.short}, ` : "") + (s.name.length === 1 ? `-${s.name}` : `--${s.name}`) + (s.type === "bool" ? "" : ` ${s.placeholder ?? "value"}`);
      const def =
        s.default === undefined || s.default === "" || (Array.isArray(s.default) && !s.default.length) || s.default === false
          ? ""
          : ` (default: ${Array.isArray(s.default) ? s.default.join(",") : s.default})`;
      const en = envName(s);
      lines.push(`   ${names.padEnd(44)} ${s.usage}${def}${en ? ` [$${en}]` : ""}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
