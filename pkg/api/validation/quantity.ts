// resource.Quantity parsing and canonical formatting: enough to compare requests with limits
// and to print values the way upstream's Quantity.String() does in error messages.

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const DECIMAL_EXP: Record<string, number> = { "": 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

interface Parsed {
  /** Exact value in nano-units (10^-9), rounded up like upstream's AsDec for sub-nano digits. */
  nanos: bigint;
  binary: boolean;
}

function parse(q: unknown): Parsed | undefined {
  if (typeof q === "number") {
    if (!Number.isFinite(q)) return undefined;
    q = String(q);
  }
  if (typeof q !== "string") return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return undefined;
  const num = m[1]!;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(num)) return undefined;
  const neg = num.startsWith("-");
  const [intPart = "", frac = ""] = num.replace(/^[+-]/, "").split(".");
  let digits = BigInt((intPart + frac) || "0");
  let exp10 = -frac.length;
  let shift2 = 0;
  const suffix = m[2]!;
  let binary = false;
  if (suffix in DECIMAL_EXP) exp10 += DECIMAL_EXP[suffix]!;
  else if (suffix in BINARY_EXP) {
    shift2 = BINARY_EXP[suffix]!;
    binary = true;
  } else {
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e) return undefined;
    exp10 += Number(e[1]);
  }
  digits <<= BigInt(shift2);
  // Scale to nano-units.
  let scale = exp10 + 9;
  let nanos: bigint;
  if (scale >= 0) nanos = digits * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    nanos = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  return { nanos: neg ? -nanos : nanos, binary };
}

/** The value of a quantity (number or string), or undefined when it is not a valid quantity. */
export function parseQuantity(q: unknown): number | undefined {
  const p = parse(q);
  return p ? Number(p.nanos) / 1e9 : undefined;
}

/** Exact value in nano-units, or undefined for an invalid quantity. */
export function quantityNanos(q: unknown): bigint | undefined {
  return parse(q)?.nanos;
}

/** Compare two quantities exactly: -1, 0, 1 (undefined when either is invalid). */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  return x.nanos < y.nanos ? -1 : x.nanos > y.nanos ? 1 : 0;
}

/** Quantity.String(): binary values with the largest exact Ki..Ei suffix, decimal ones with the largest exact n..E suffix. */
export function canonicalQuantity(q: unknown): string {
  const p = parse(q);
  if (!p) return String(q);
  const neg = p.nanos < 0n;
  const abs = neg ? -p.nanos : p.nanos;
  const sign = neg ? "-" : "";
  if (abs === 0n) return "0";
  if (p.binary && abs % 1_000_000_000n === 0n) {
    const bytes = abs / 1_000_000_000n;
    const names = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let i = 0;
    let v = bytes;
    while (i < names.length - 1 && v % 1024n === 0n) {
      v /= 1024n;
      i++;
    }
    return `${sign}${v}${names[i]}`;
  }
  const names = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
  let i = 0;
  let v = abs;
  while (i < names.length - 1 && v % 1000n === 0n) {
    v /= 1000n;
    i++;
  }
  return `${sign}${v}${names[i]}`;
}
