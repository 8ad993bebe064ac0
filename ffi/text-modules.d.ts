// `import x from "./file.c" with { type: "text" }` yields the file's text (Bun text loader).
declare module "*.c" {
  const text: string;
  export default text;
}
