export * from "./labels.ts";
export * from "./fields.ts";
