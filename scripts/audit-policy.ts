/**
 * The dependency audit policy (docs/security.md, "Dependency audit"): production dependencies must
 * have no high or critical advisory; a dev-only finding passes only when docs/security.md lists the
 * package as an exception with its reason. An audit service that cannot be reached is a warning.
 */

/** The parts of `npm audit --json` that the policy reads. */
export interface AuditReport {
  readonly vulnerabilities?: Readonly<Record<string, { readonly severity: string }>>
  readonly message?: string
  readonly error?: { readonly summary?: string; readonly code?: string }
}

export type AuditVerdict =
  | { readonly kind: 'clean'; readonly excepted: string[] }
  | { readonly kind: 'findings'; readonly production: string[]; readonly unexcepted: string[] }
  | { readonly kind: 'unavailable'; readonly reason: string }

const serious = new Set(['high', 'critical'])

function seriousPackages(report: AuditReport): string[] {
  return Object.entries(report.vulnerabilities ?? {})
    .filter(([, finding]) => serious.has(finding.severity))
    .map(([name]) => name)
    .sort()
}

/** An npm audit run that did not produce a report (network, a registry without the audit API). */
export function unavailableReason(report: AuditReport): string | undefined {
  if (report.vulnerabilities !== undefined) return undefined
  return report.message ?? report.error?.summary ?? report.error?.code ?? 'npm audit produced no report'
}

export function judgeAudit(
  production: AuditReport,
  all: AuditReport,
  exceptions: ReadonlySet<string>,
): AuditVerdict {
  const reason = unavailableReason(production) ?? unavailableReason(all)
  if (reason !== undefined) return { kind: 'unavailable', reason }
  const prod = seriousPackages(production)
  const devOnly = seriousPackages(all).filter((name) => !prod.includes(name))
  const unexcepted = devOnly.filter((name) => !exceptions.has(name))
  if (prod.length > 0 || unexcepted.length > 0) return { kind: 'findings', production: prod, unexcepted }
  return { kind: 'clean', excepted: devOnly }
}

/** Package names in the exceptions table of docs/security.md: rows `| \`name\` | dev | reason |`. */
export function auditExceptions(securityDoc: string): Set<string> {
  const section = securityDoc.split(/^## /m).find((part) => part.startsWith('Dependency audit')) ?? ''
  const names = new Set<string>()
  for (const match of section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*dev\s*\|\s*\S.*\|\s*$/gm)) names.add(match[1]!)
  return names
}
