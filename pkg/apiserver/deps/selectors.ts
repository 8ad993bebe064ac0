// Label and field selectors (pkg/api/selectors).
export { parseLabelSelector, matchesLabels, labelSelectorFromSpec, parseFieldSelector, matchesFields, fieldSetOf, validateFieldSelector } from "../../api/selectors/index.ts";
export type { LabelSelector, FieldSelector } from "../../api/selectors/index.ts";
