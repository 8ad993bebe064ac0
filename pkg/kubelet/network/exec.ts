// Running host networking tools (iproute2, iptables): one place that turns a non-zero exit into an error.
export async function sh(argv: string[], stdin?: string): Promise<string> {
  const p = Bun.spawn(argv, { stdin: stdin !== undefined ? new TextEncoder().encode(stdin) : "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")}: exit ${code}: ${err.trim()}`);
  return out;
}

export async function shOk(argv: string[], stdin?: string): Promise<boolean> {
  try {
    await sh(argv, stdin);
    return true;
  } catch {
    return false;
  }
}
