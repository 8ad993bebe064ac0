// Pieces every describer shares, worded and aligned like kubectl's describe package.
import { humanDuration, since } from "../../api/tables/duration.ts";
import type { DescribeWriter } from "./gotabwriter.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(ts: string | undefined | null): string {
  const d = ts ? new Date(ts) : new Date(0);
  if (Number.isNaN(d.getTime())) return "";
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

export { humanDuration, since };

const SKIP_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);
const MAX_ANNOTATION = 140;

export function labelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, initialIndent = "", innerIndent = "\t"): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return w.write(0, "<none>\n");
  keys.forEach((k, i) => {
    if (i) w.write(0, initialIndent + innerIndent);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

export function annotationsMultiline(w: DescribeWriter, title: string, ann: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(ann ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort();
  if (!keys.length) return w.write(0, "<none>\n");
  keys.forEach((k, i) => {
    if (i) w.write(0, "\t");
    const v = ann![k]!.replace(/\n$/, "");
    if (v.length + k.length + 2 > MAX_ANNOTATION || v.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const s of v.split("\n")) w.write(0, `\t  ${s.length > MAX_ANNOTATION - 2 ? s.slice(0, MAX_ANNOTATION - 2) + "..." : s}\n`);
    } else w.write(0, `${k}: ${v}\n`);
  });
}

export function tolerationsMultiline(w: DescribeWriter, title: string, tols: any[] | undefined, initialIndent = ""): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (!tols?.length) return w.write(0, "<none>\n");
  [...tols]
    .sort((a, b) => String(a.key ?? "").localeCompare(String(b.key ?? "")))
    .forEach((t, i) => {
      if (i) w.write(0, initialIndent + "\t");
      let s = t.key ?? "";
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      w.write(0, s + "\n");
    });
}

export function taintsMultiline(w: DescribeWriter, title: string, taints: any[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints?.length) return w.write(0, "<none>\n");
  [...taints]
    .sort((a, b) => `${a.effect},${a.key}`.localeCompare(`${b.effect},${b.key}`))
    .forEach((t, i) => {
      if (i) w.write(0, "\t");
      w.write(0, `${t.key}${t.value ? "=" + t.value : ""}:${t.effect}\n`);
    });
}

/** metav1.FormatLabelSelector: `a=b,c in (x,y)`, `<none>` for an empty selector. */
export function formatLabelSelector(sel: any): string {
  if (!sel) return "<none>";
  const parts: string[] = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator);
    if (op === "In" || op === "NotIn") parts.push(`${e.key} ${op === "In" ? "in" : "notin"} (${(e.values ?? []).join(",")})`);
    else if (op === "Exists") parts.push(e.key);
    else if (op === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : "<none>";
}

/** labels.FormatLabels on a selector map (services). */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(",") : "<none>";
}

export function controllerOf(obj: any): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : "";
}

/** Events at the bottom of a description (sorted by last timestamp). */
export function describeEvents(w: DescribeWriter, events: any[] | undefined, now = Date.now()): void {
  if (!events) return;
  if (!events.length) return w.write(0, "Events:\t<none>\n");
  w.flush();
  // kubectl sorts on lastTimestamp alone (events with only eventTime keep the server's order).
  const when = (e: any) => Date.parse(e.lastTimestamp ?? "") || 0;
  const sorted = [...events].sort((a, b) => when(a) - when(b));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || "";
    // kubectl 1.33 prints the message alone (the fieldPath prefix came later).
    const msg = String(e.message ?? "").trim();
    w.write(1, `${e.type ?? ""}\t${e.reason ?? ""}\t${interval}\t${source}\t${msg}\n`);
  }
}
