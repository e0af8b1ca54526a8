import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { auditExceptions, judgeAudit } from '../../../scripts/audit-policy.ts'

const clean = { vulnerabilities: {} }
const report = (entries: Record<string, string>) => ({
  vulnerabilities: Object.fromEntries(
    Object.entries(entries).map(([name, severity]) => [name, { severity }]),
  ),
})

test('a high advisory in a production dependency fails even when listed as an exception', () => {
  const prod = report({ kafkajs: 'high' })
  assert.deepEqual(judgeAudit(prod, prod, new Set(['kafkajs'])), {
    kind: 'findings',
    production: ['kafkajs'],
    unexcepted: [],
  })
})

test('a high advisory in a dev-only dependency passes only with a written exception', () => {
  const all = report({ 'some-dev-tool': 'critical', other: 'moderate' })
  assert.equal(judgeAudit(clean, all, new Set()).kind, 'findings')
  assert.deepEqual(judgeAudit(clean, all, new Set(['some-dev-tool'])), {
    kind: 'clean',
    excepted: ['some-dev-tool'],
  })
})

test('moderate and low advisories do not fail the check', () => {
  assert.equal(
    judgeAudit(report({ a: 'moderate' }), report({ a: 'moderate', b: 'low' }), new Set()).kind,
    'clean',
  )
})

test('an audit service that gives no report is reported as unavailable with its reason', () => {
  const verdict = judgeAudit({ message: '405 Method Not Allowed' }, clean, new Set())
  assert.deepEqual(verdict, { kind: 'unavailable', reason: '405 Method Not Allowed' })
})

test('exceptions are read from the dependency audit table of docs/security.md', () => {
  const doc =
    '## Other\n| `not-this` | dev | x |\n## Dependency audit\n| package | scope | reason |\n| --- | --- | --- |\n| `tool` | dev | only used by the build |\n'
  assert.deepEqual([...auditExceptions(doc)], ['tool'])
  const real = readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8')
  assert.ok(auditExceptions(real) instanceof Set)
})
