/**
 * Sums a metric from a Prometheus text exposition, optionally only samples whose labels include
 * `where` — enough for the demo's summary without a Prometheus server.
 */
export function sumMetric(text: string, name: string, where: Readonly<Record<string, string>> = {}): number {
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([-+eE\d.]+|NaN)/.exec(line)
    if (!match || match[1] !== name) continue
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    )
    if (Object.entries(where).every(([key, value]) => labels[key] === value)) total += Number(match[3])
  }
  return total
}
