// kubectl's error wording (cmdutil.CheckErr / StandardErrorMessage).
import { StatusError } from "../api/errors.ts";

export function formatError(e: unknown): string {
  if (e instanceof StatusError) {
    const st = e.status as any;
    if (st.reason === "Invalid" && st.details?.causes?.length) {
      const d = st.details;
      const head = d.kind || d.name ? `The ${d.kind ?? ""} "${d.name ?? ""}" is invalid` : "The request is invalid";
      const causes = d.causes.map((c: any) => (c.field ? `${c.field}: ${c.message}` : c.message));
      return causes.length === 1 ? `${head}: ${causes[0]}` : `${head}: \n* ${causes.join("\n* ")}`;
    }
    return st.reason ? `Error from server (${st.reason}): ${e.message}` : `Error from server: ${e.message}`;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return msg.startsWith("error: ") ? msg : `error: ${msg}`;
}
