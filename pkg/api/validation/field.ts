// Field error constructors rendering messages the way apimachinery's field.Error.ErrorBody does.
import type { FieldError } from "../types.ts";

/** Go's %#v of a value nested in an untyped map or slice. */
function goNested(v: unknown): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goNested).join(", ")}}`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[string]interface {}{${entries.map(([k, x]) => `${JSON.stringify(k)}:${goNested(x)}`).join(", ")}}`;
}

/** Go's %#v / %v rendering of a bad value, as kubectl shows it after "Invalid value: ". */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    // Typed string slices (the common case) print as []string; anything else as untyped.
    if (v.every((x) => typeof x === "string")) return `[]string{${v.map((x) => JSON.stringify(x)).join(", ")}}`;
    return goNested(v);
  }
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.every(([, x]) => typeof x === "string"))
      return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
    return goNested(v);
  }
  return String(v);
}

const withDetail = (s: string, detail?: string) => (detail ? `${s}: ${detail}` : s);

export const required = (field: string, detail = ""): FieldError => ({
  type: "FieldValueRequired",
  field,
  message: withDetail("Required value", detail),
});

export const invalid = (field: string, value: unknown, detail = ""): FieldError => ({
  type: "FieldValueInvalid",
  field,
  message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
});

export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  message: withDetail(
    `Unsupported value: ${formatValue(value)}`,
    supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}` : "",
  ),
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  type: "FieldValueDuplicate",
  field,
  message: `Duplicate value: ${formatValue(value)}`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: "FieldValueForbidden",
  field,
  message: withDetail("Forbidden", detail),
});

/** 1.32+ wording ("may not be more than N bytes"). */
export const tooLong = (field: string, max: number): FieldError => ({
  type: "FieldValueTooLong",
  field,
  message: `Too long: may not be more than ${max} ${max === 1 ? "byte" : "bytes"}`,
});

export const notFound = (field: string, value: unknown): FieldError => ({
  type: "FieldValueNotFound",
  field,
  message: `Not found: ${formatValue(value)}`,
});

/** Go's %#v of a metav1.LabelSelector, as upstream prints it in immutable/invalid selector errors. */
export function formatLabelSelectorValue(sel: any): string {
  if (sel === null || sel === undefined) return "null";
  const ml = sel.matchLabels;
  const labels = ml === undefined || ml === null ? "map[string]string(nil)" : formatValue(ml);
  const me: any[] | undefined = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : undefined;
  const exprs =
    me === undefined || me.length === 0
      ? "[]v1.LabelSelectorRequirement(nil)"
      : `[]v1.LabelSelectorRequirement{${me
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${JSON.stringify(String(e?.key ?? ""))}, Operator:${JSON.stringify(String(e?.operator ?? ""))}, Values:${
                Array.isArray(e?.values) ? formatValue(e.values.map(String)) : "[]string(nil)"
              }}`,
          )
          .join(", ")}}`;
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}

/** An Invalid error whose value is already rendered (Go struct dumps). */
export const invalidRaw = (field: string, rendered: string, detail = ""): FieldError => ({
  type: "FieldValueInvalid",
  field,
  message: withDetail(`Invalid value: ${rendered}`, detail),
});

export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: "FieldValueTooMany",
  field,
  message: `Too many: ${actual}: must have at most ${max} items`,
});

/** Errors for each message of a string-checker (IsDNS1123Label etc.), all on one field. */
export const invalidEach = (field: string, value: unknown, msgs: string[]): FieldError[] =>
  msgs.map((m) => invalid(field, value, m));

export const IMMUTABLE = "field is immutable";
