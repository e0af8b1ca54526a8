/**
 * `npm audit` at high severity for CI (a static check of `npm test`). Exit 0 when clean, or when the
 * advisory service cannot be reached (a loud warning: nothing was audited); exit 1 on findings that
 * the policy does not allow. AUDIT_REQUIRED=1 makes an unreachable service fail too.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type AuditReport, auditExceptions, judgeAudit } from './audit-policy.ts'

const root = new URL('..', import.meta.url).pathname

function audit(omitDev: boolean): Promise<AuditReport> {
  const args = ['audit', '--json', '--audit-level=high', ...(omitDev ? ['--omit=dev'] : [])]
  return new Promise((resolve) => {
    execFile('npm', args, { cwd: root, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout) => {
      try {
        resolve(JSON.parse(stdout) as AuditReport)
      } catch {
        resolve({
          message: error ? `npm audit failed: ${error.message.split('\n')[0]}` : 'npm audit printed no JSON',
        })
      }
    })
  })
}

const [production, all] = await Promise.all([audit(true), audit(false)])
const exceptions = auditExceptions(readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8'))
const verdict = judgeAudit(production, all, exceptions)
const say = (line: string) => process.stdout.write(`[audit] ${line}\n`)
if (verdict.kind === 'clean') {
  say(
    `no high or critical advisories${verdict.excepted.length ? ` (dev exceptions: ${verdict.excepted.join(', ')})` : ''}`,
  )
} else if (verdict.kind === 'unavailable') {
  say(`WARNING: dependencies were NOT audited, the advisory service is unavailable: ${verdict.reason}`)
  if (process.env['AUDIT_REQUIRED'] === '1') process.exit(1)
} else {
  if (verdict.production.length)
    say(`production dependencies with high/critical advisories: ${verdict.production.join(', ')}`)
  if (verdict.unexcepted.length) {
    say(
      `dev dependencies with high/critical advisories and no exception in docs/security.md: ${verdict.unexcepted.join(', ')}`,
    )
  }
  say('run `npm audit` for details')
  process.exit(1)
}
