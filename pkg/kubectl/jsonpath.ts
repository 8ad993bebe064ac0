// kubectl's JSONPath templates: text with {path} expressions, {range …}{end} loops,
// {"literal"} strings; several results print space-separated, objects as JSON.
import { evalJSONPath, parseJSONPath } from "../api/tables/custom.ts";

type Node = { text: string } | { path: string } | { range: string; body: Node[] };

function unquote(s: string): string {
  const inner = s.slice(1, -1);
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

export function parseTemplate(tpl: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf("{", i);
    if (open < 0) {
      stack.at(-1)!.push({ text: tpl.slice(i) });
      break;
    }
    if (open > i) stack.at(-1)!.push({ text: tpl.slice(i, open) });
    // A closing brace inside a quoted literal does not end the expression.
    let j = open + 1;
    let quote = "";
    for (; j < tpl.length; j++) {
      const ch = tpl[j]!;
      if (quote) {
        if (ch === "\\") j++;
        else if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "}") break;
    }
    if (j >= tpl.length) throw new Error(`unclosed action`);
    const expr = tpl.slice(open + 1, j).trim();
    i = j + 1;
    if (expr.startsWith("range ")) {
      const node = { range: expr.slice(6).trim(), body: [] as Node[] };
      stack.at(-1)!.push(node);
      stack.push(node.body);
    } else if (expr === "end") {
      if (stack.length < 2) throw new Error(`not in range, nothing to end`);
      stack.pop();
    } else if (/^(["']).*\1$/s.test(expr)) stack.at(-1)!.push({ text: unquote(expr) });
    else stack.at(-1)!.push({ path: expr });
  }
  if (stack.length > 1) throw new Error(`unclosed range`);
  return root;
}

function lookup(data: unknown, path: string): unknown[] {
  let p = path.trim();
  if (p === "@" || p === "$" || p === ".") return [data];
  if (p.startsWith("@")) p = p.slice(1);
  if (!p.startsWith(".") && !p.startsWith("[") && !p.startsWith("$")) p = "." + p;
  return evalJSONPath(data, parseJSONPath(p));
}

const show = (v: unknown) => (typeof v === "string" ? v : v === null ? "null" : typeof v === "object" ? JSON.stringify(v) : String(v));

function run(nodes: Node[], data: unknown, allowMissing: boolean): string {
  let out = "";
  for (const n of nodes) {
    if ("text" in n) out += n.text;
    else if ("path" in n) {
      const vals = lookup(data, n.path);
      if (!vals.length && !allowMissing) throw new Error(`${n.path.replace(/^\./, "")} is not found`);
      out += vals.map(show).join(" ");
    } else {
      let items = lookup(data, n.range);
      if (items.length === 1 && Array.isArray(items[0])) items = items[0] as unknown[];
      for (const it of items) out += run(n.body, it, allowMissing);
    }
  }
  return out;
}

/** Renders a template against one object (or a List); kubectl's --allow-missing-template-keys=true by default. */
export function renderJSONPath(tpl: string, data: unknown, allowMissing = true): string {
  return run(parseTemplate(tpl), data, allowMissing);
}
