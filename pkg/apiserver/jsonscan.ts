// One pass over raw JSON text: nesting depth and duplicate object keys (JSON.parse keeps the
// last duplicate silently, upstream's strict decoder reports it).
export interface ScanResult {
  maxDepth: number;
  /** Paths like "metadata.name" of keys that appear twice in one object. */
  duplicates: string[];
}

interface Frame {
  array: boolean;
  keys: Set<string>;
  path: string;
  index: number;
  pendingKey?: string;
}

/** Throws RangeError when depth exceeds limit (before any deep recursion happens). */
export function scanJSON(text: string, depthLimit: number): ScanResult {
  const stack: Frame[] = [];
  const duplicates: string[] = [];
  let maxDepth = 0;
  let expectKey = false;
  const childPath = (f: Frame | undefined): string => {
    if (!f) return "";
    if (f.array) return `${f.path}[${f.index}]`;
    return f.path ? `${f.path}.${f.pendingKey ?? ""}` : (f.pendingKey ?? "");
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let s = "";
      let simple = true;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          simple = false;
          j++;
          continue;
        }
        if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top && !top.array) {
        const raw = text.slice(i, j + 1);
        try {
          s = simple ? raw.slice(1, -1) : JSON.parse(raw);
        } catch {
          s = raw;
        }
        if (top.keys.has(s)) duplicates.push(top.path ? `${top.path}.${s}` : s);
        top.keys.add(s);
        top.pendingKey = s;
        expectKey = false;
      }
      i = j;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = stack[stack.length - 1];
      stack.push({ array: c === 0x5b, keys: new Set(), path: childPath(parent), index: 0 });
      if (stack.length > maxDepth) maxDepth = stack.length;
      if (maxDepth > depthLimit) throw new RangeError(`exceeded max depth of ${depthLimit}`);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectKey = true;
    }
  }
  return { maxDepth, duplicates };
}
