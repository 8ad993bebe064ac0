// Command-line parsing the way kubectl's cobra/pflag accept it: --x=v, --x v, -x v, -xv,
// bundled boolean shorthands (-it), `--` ending flags, flags anywhere among positionals.

export interface FlagSpec {
  /** Long flag names that take no value (`--watch`); `--x=false` still sets them. */
  bool: string[];
  /** Short → long aliases (`n` → `namespace`). */
  short?: Record<string, string>;
  /** Flags that may repeat (`-f a -f b`). */
  multi?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  /** Everything after `--` (exec's command). */
  rest: string[];
  /** Last value of each flag; booleans as "true"/"false". */
  flags: Map<string, string>;
  /** Every value of repeatable flags. */
  multi: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], rest: [], flags: new Map(), multi: new Map() };
  const bool = new Set(spec.bool);
  const multi = new Set(spec.multi ?? []);
  const set = (name: string, value: string) => {
    out.flags.set(name, value);
    if (multi.has(name)) out.multi.set(name, [...(out.multi.get(name) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) set(name, a.slice(eq + 1));
      else if (bool.has(name)) set(name, "true");
      else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
        set(name, argv[++i]!);
      }
    } else if (a.startsWith("-") && a.length > 1 && a !== "-") {
      // Shorthands: each letter is a flag; a value-taking one consumes the remainder or the next arg.
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        const name = spec.short?.[ch];
        if (!name) throw new UsageError(`unknown shorthand flag: '${ch}' in ${a}`);
        if (bool.has(name)) {
          if (a[j + 1] === "=") {
            set(name, a.slice(j + 2));
            break;
          }
          set(name, "true");
          continue;
        }
        let v = a.slice(j + 1);
        if (v.startsWith("=")) v = v.slice(1);
        if (v === "") {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${ch}' in -${ch}`);
          v = argv[++i]!;
        }
        set(name, v);
        break;
      }
    } else out.positionals.push(a);
  }
  return out;
}

export function flagBool(p: ParsedArgs, name: string, def = false): boolean {
  const v = p.flags.get(name);
  if (v === undefined) return def;
  return v === "" || v === "true" || v === "True" || v === "1";
}

export function flagStr(p: ParsedArgs, name: string): string | undefined {
  return p.flags.get(name);
}

/** Go duration strings kubectl accepts ("30s", "1m30s", "500ms", "0"); a bare number is seconds. */
export function parseDuration(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = s;
  const re = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  if (!rest) throw new UsageError(`invalid duration ""`);
  while (rest) {
    const m = re.exec(rest);
    if (!m) throw new UsageError(`invalid duration "${s}"`);
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}
