// A large, varied rules file for the benchmarks: macros and lists, and rules whose tags are
// written every way real files write them (flow, block, quoted, commented, absent).
export function generateRules(count, { crlf = false } = {}) {
  const out = [
    "# Generated for falcokit's benchmarks.",
    "- required_engine_version: 0.31.0",
    "",
    "- list: bench_binaries",
    "  items: [curl, wget, nc, ncat, socat]",
    "",
    "- macro: bench_spawned",
    "  condition: (evt.type in (execve, execveat))",
    "",
  ];
  const priorities = ["WARNING", "NOTICE", "ERROR", "CRITICAL", "INFO", "DEBUG"];
  for (let i = 0; i < count; i++) {
    const style = i % 5;
    out.push(`- rule: Bench rule ${i}`);
    out.push(`  desc: Detects benchmark activity number ${i}.`);
    out.push(`  condition: bench_spawned and proc.name in (bench_binaries) and proc.pname = "p${i % 97}"`);
    out.push(`  output: Bench ${i} (proc=%proc.name parent=%proc.pname cmd=%proc.cmdline)`);
    out.push(`  priority: ${priorities[i % priorities.length]}`);
    if (style === 0) out.push(`  tags: [maturity_stable, host, mitre_execution, T${1000 + (i % 600)}]`);
    if (style === 1) out.push("  tags:", "    - maturity_incubating", "    - container  # why", `    - "T${1000 + (i % 600)}"`);
    if (style === 2) out.push("  tags:", "  - network", "  - mitre_discovery");
    if (style === 3) out.push(`  tags: ['process', "mitre_persistence"]  # quoted`);
    // style 4: no tags at all
    if (i % 7 === 0) out.push("  enabled: false");
    out.push("");
  }
  return out.join(crlf ? "\r\n" : "\n");
}
