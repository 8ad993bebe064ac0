// Label selectors: the string syntax of apimachinery's labels.Parse and the LabelSelector struct form.
import { badRequest } from "../errors.ts";
import { isQualifiedName, isValidLabelValue } from "../validation/names.ts";
import { formatValue } from "../validation/field.ts";

export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";
export interface LabelRequirement {
  key: string;
  op: LabelOperator;
  values: string[];
}
/** Requirements are ANDed; an empty list matches everything. `nothing` matches no object. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  nothing?: boolean;
}

type Tok = "end" | "id" | "(" | ")" | "," | "!" | "==" | "=" | ">" | "<" | "!=" | "in" | "notin" | "error";
const SPECIAL = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const LITERALS: Record<string, Tok> = { ")": ")", ",": ",", "!": "!", "==": "==", "=": "=", ">": ">", "in": "in", "<": "<", "!=": "!=", "notin": "notin", "(": "(" };
const isWs = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";

function lex(s: string): Array<[Tok, string]> {
  const out: Array<[Tok, string]> = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isWs(s[i]!)) i++;
    if (i >= s.length) {
      out.push(["end", ""]);
      return out;
    }
    if (SPECIAL.has(s[i]!)) {
      // longest operator made of special symbols, as upstream's scanSpecialSymbol
      let buf = "";
      let last: [Tok, string] | undefined;
      while (i < s.length && SPECIAL.has(s[i]!)) {
        buf += s[i];
        const t = Object.hasOwn(LITERALS, buf) ? LITERALS[buf] : undefined;
        if (t) last = [t, buf];
        else if (last) break;
        i++;
      }
      if (!last) {
        out.push(["error", `error expected: keyword found '${buf}'`]);
        continue;
      }
      out.push(last);
      continue;
    }
    let buf = "";
    while (i < s.length && !SPECIAL.has(s[i]!) && !isWs(s[i]!)) buf += s[i++];
    out.push([Object.hasOwn(LITERALS, buf) ? LITERALS[buf]! : "id", buf]);
  }
}

class ParseError extends Error {}

/** Parse the `labelSelector` query syntax; failures are 400 BadRequest with upstream's wording. */
export function parseLabelSelector(s: string): LabelSelector {
  try {
    return { requirements: parseRequirements(s) };
  } catch (e) {
    if (e instanceof ParseError) throw badRequest(e.message);
    throw e;
  }
}

function parseRequirements(s: string): LabelRequirement[] {
  const items = lex(s);
  let pos = 0;
  // In a values context "in"/"notin" are plain identifiers.
  const asValue = (t: [Tok, string]): [Tok, string] => (t[0] === "in" || t[0] === "notin" ? ["id", t[1]] : t);
  const look = (values: boolean) => (values ? asValue(items[pos]!) : items[pos]!);
  const take = (values: boolean) => (values ? asValue(items[pos++]!) : items[pos++]!);
  const reqs: LabelRequirement[] = [];

  const requirement = (): LabelRequirement => {
    let [tok, lit] = take(true);
    let op: LabelOperator | undefined;
    if (tok === "!") {
      op = "!";
      [tok, lit] = take(true);
    }
    if (tok !== "id") throw new ParseError(`found '${lit}', expected: identifier`);
    const keyErrs = isQualifiedName(lit);
    if (keyErrs.length) throw new ParseError(`<nil>: Invalid value: ${formatValue(lit)}: ${keyErrs.join("; ")}`);
    const key = lit;
    const next = look(true)[0];
    if (next === "end" || next === ",") return { key, op: op ?? "exists", values: [] };
    if (op === "!") throw new ParseError(`found '${look(false)[1]}', expected: in, notin, =, ==, !=, gt, lt`);
    const [otok, olit] = take(false);
    const opMap: Partial<Record<Tok, LabelOperator>> = { in: "in", "=": "=", "==": "==", ">": "gt", "<": "lt", notin: "notin", "!=": "!=" };
    op = opMap[otok];
    if (!op) throw new ParseError(`found '${olit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = op === "in" || op === "notin" ? valueSet() : [exactValue()];
    return newRequirement(key, op, values);
  };

  const exactValue = (): string => {
    const t = look(true)[0];
    if (t === "end" || t === ",") return "";
    const [tok, lit] = take(true);
    if (tok === "id") return lit;
    throw new ParseError(`found '${lit}', expected: identifier`);
  };

  const valueSet = (): string[] => {
    const [tok, lit] = take(true);
    if (tok !== "(") throw new ParseError(`found '${lit}' expected: '('`);
    const [t2, l2] = look(true);
    if (t2 === ")") {
      pos++;
      return [""];
    }
    if (t2 !== "id" && t2 !== ",") throw new ParseError(`found '${l2}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (let guard = 0; guard < items.length + 1; guard++) {
      const [t, l] = take(true);
      if (t === "id") {
        set.add(l);
        const [t3, l3] = look(true);
        if (t3 === ",") continue;
        if (t3 === ")") break;
        throw new ParseError(`found '${l3}', expected: ',' or ')'`);
      } else if (t === ",") {
        if (set.size === 0) set.add("");
        const t3 = look(true)[0];
        if (t3 === ")") {
          set.add("");
          break;
        }
        if (t3 === ",") {
          pos++;
          set.add("");
        }
      } else throw new ParseError(`found '${l}', expected: ',', or identifier`);
    }
    const [tc, lc] = take(true);
    if (tc !== ")") throw new ParseError(`found '${lc}', expected: ')'`);
    return [...set].sort();
  };

  for (let guard = 0; guard <= items.length; guard++) {
    const [tok, lit] = look(true);
    if (tok === "end") return sortByKey(reqs);
    if (tok !== "id" && tok !== "!") throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(requirement());
    } catch (e) {
      if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const [t, l] = take(true);
    if (t === "end") return sortByKey(reqs);
    if (t !== ",") throw new ParseError(`found '${l}', expected: ',' or 'end of string'`);
    const [t2, l2] = look(true);
    if (t2 !== "id" && t2 !== "!") throw new ParseError(`found '${l2}', expected: identifier after ','`);
  }
  return sortByKey(reqs);
}

const sortByKey = (r: LabelRequirement[]) => r.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

function newRequirement(key: string, op: LabelOperator, values: string[]): LabelRequirement {
  if ((op === "in" || op === "notin") && values.length === 0)
    throw new ParseError("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
  if ((op === "=" || op === "==" || op === "!=") && values.length !== 1)
    throw new ParseError(`values: Invalid value: ${formatValue(values)}: exact-match compatibility requires one single value`);
  if (op === "gt" || op === "lt") {
    if (values.length !== 1 || !/^-?\d+$/.test(values[0]!))
      throw new ParseError(`values[0]: Invalid value: ${formatValue(values[0] ?? "")}: for 'Gt', 'Lt' operators, the value must be an integer`);
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length) throw new ParseError(`values[${i}][${key}]: Invalid value: ${formatValue(v)}: ${errs.join("; ")}`);
  });
  return { key, op, values };
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

/** metav1.LabelSelectorAsSelector: null selects nothing, {} selects everything. */
export function labelSelectorFromSpec(sel: LabelSelectorSpec | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return { requirements: [], nothing: true };
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: "=", values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const ops: Record<string, LabelOperator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };
    const op = ops[e.operator];
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])] });
  }
  return { requirements: sortByKey(reqs) };
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | null | undefined): boolean {
  if (sel.nothing) return false;
  const l = labels ?? {};
  for (const r of sel.requirements) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? l[r.key]! : "";
    switch (r.op) {
      case "=":
      case "==":
      case "in":
        if (!has || !r.values.includes(v)) return false;
        break;
      case "!=":
      case "notin":
        if (has && r.values.includes(v)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!":
        if (has) return false;
        break;
      case "gt":
      case "lt": {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        if (r.op === "gt" ? !(n > bound) : !(n < bound)) return false;
      }
    }
  }
  return true;
}

/** Canonical string form (sorted by key), as labels.Selector.String(). */
export function labelSelectorString(sel: LabelSelector): string {
  return sel.requirements
    .map((r) => {
      switch (r.op) {
        case "exists":
          return r.key;
        case "!":
          return `!${r.key}`;
        case "in":
        case "notin":
          return `${r.key} ${r.op} (${[...r.values].sort().join(",")})`;
        case "gt":
          return `${r.key}>${r.values[0]}`;
        case "lt":
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.op}${r.values[0]}`;
      }
    })
    .join(",");
}
