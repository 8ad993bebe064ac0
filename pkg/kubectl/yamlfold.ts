// go-yaml's line folding of plain scalars, applied to YAML emitted without folding: at a
// space, once the line is past 80 columns (and the next character is not a space), the
// scalar continues on a new line indented one level deeper than its key or dash.

const BEST_WIDTH = 80;
const ITEM = /^( *)((?:- )*)(.*)$/;
// A key is plain or double-quoted; the value is plain when it starts with none of YAML's indicators.
const KEY_VALUE = /^((?:[^\s"'#:][^:]*?|"(?:[^"\\]|\\.)*")): (.*)$/;
const PLAIN = /^[^"'|>{}[\]&*!%@`#\s]/;

function fold(prefix: string, value: string, indent: number): string {
  let out = prefix;
  let col = prefix.length;
  let spaces = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === " ") {
      if (!spaces && col > BEST_WIDTH && value[i + 1] !== " " && i + 1 < value.length) {
        out += "\n" + " ".repeat(indent);
        col = indent;
      } else {
        out += ch;
        col++;
      }
      spaces = true;
    } else {
      out += ch;
      col++;
      spaces = false;
    }
  }
  return out;
}

export function foldPlainScalars(text: string): string {
  const lines = text.split("\n");
  let inBlock = -1;
  return lines
    .map((line) => {
      if (line.length <= BEST_WIDTH) {
        trackBlock(line);
        return line;
      }
      const lead = line.length - line.trimStart().length;
      if (inBlock >= 0 && lead > inBlock) return line;
      inBlock = -1;
      const m = ITEM.exec(line)!;
      const base = m[1]!.length + m[2]!.length;
      const kv = KEY_VALUE.exec(m[3]!);
      if (kv) {
        if (!PLAIN.test(kv[2]!)) return line;
        return fold(line.slice(0, line.length - kv[2]!.length), kv[2]!, base + 2);
      }
      if (m[2] && PLAIN.test(m[3]!)) return fold(line.slice(0, base), m[3]!, base);
      return line;
    })
    .join("\n");

  // Lines inside a literal/folded block scalar (`key: |`) are content, not YAML structure.
  function trackBlock(line: string): void {
    const lead = line.length - line.trimStart().length;
    if (inBlock >= 0 && line.trim() && lead <= inBlock) inBlock = -1;
    if (/(:|^ *-) [|>][-+]?\d*$/.test(line)) inBlock = lead;
  }
}
