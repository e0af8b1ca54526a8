// Proves that package versions follow their changes: on a scratch clone of this repository, a breaking schema change released as a minor version of @event-backbone/catalog fails the release check and passes as a major one, a removed export needs a major version, and `release apply` writes versions, dependents' ranges and a changelog from the commits.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'

const root = new URL('../../../', import.meta.url).pathname

function scratchClone(t: TestContext): { dir: string; commit: (message: string) => void } {
  const parent = mkdtempSync(join(tmpdir(), 'eb-release-'))
  t.after(() => rmSync(parent, { recursive: true, force: true }))
  const dir = join(parent, 'repo')
  execFileSync('git', ['clone', '--quiet', root, dir])
  const commit = (message: string) =>
    execFileSync(
      'git',
      ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qam', message],
      {
        cwd: dir,
      },
    )
  return { dir, commit }
}

function release(dir: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(root, 'scripts/packages/release.ts'), '--repo', dir, ...args],
    {
      encoding: 'utf8',
    },
  )
  return { code: result.status, out: result.stdout + result.stderr }
}

function editJson(path: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  edit(value)
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
}

const setVersion = (dir: string, pkg: string, version: string) =>
  editJson(join(dir, 'libs', pkg, 'package.json'), (manifest) => {
    manifest['version'] = version
  })

const addField = (dir: string, field: object) =>
  editJson(join(dir, 'schemas/payment-confirmed.avsc'), (schema) => {
    ;(schema['fields'] as object[]).push(field)
  })

test('this repository passes its own release check', () => {
  const { code, out } = release(root, 'check')
  assert.equal(code, 0, out)
})

test('a breaking schema change released as a minor version of the catalog fails the check; as a major version it passes', (t) => {
  const { dir, commit } = scratchClone(t)
  addField(dir, { name: 'riskScore', type: 'int' })
  const current = JSON.parse(readFileSync(join(dir, 'libs/catalog/package.json'), 'utf8')).version as string
  const [major, minor] = current.split('.').map(Number) as [number, number]
  setVersion(dir, 'catalog', `${major}.${minor + 1}.0`)
  commit('PaymentConfirmed: a riskScore without a default')
  const minorRelease = release(dir, 'check')
  assert.equal(minorRelease.code, 1, minorRelease.out)
  assert.match(
    minorRelease.out,
    /@event-backbone\/catalog .* is a minor version, but its changes need a major one/,
  )
  assert.match(minorRelease.out, /schema of PaymentConfirmed: incompatible/)

  setVersion(dir, 'catalog', `${major + 1}.0.0`)
  commit('release: @event-backbone/catalog major')
  const majorRelease = release(dir, 'check')
  assert.equal(majorRelease.code, 0, majorRelease.out)
})

test('an export removed from a package API report needs a major version', (t) => {
  const { dir, commit } = scratchClone(t)
  const report = join(dir, 'libs/errors/api/errors.api.md')
  writeFileSync(report, readFileSync(report, 'utf8').replace(/^export const UsageError: .*$/m, ''))
  commit('errors: UsageError removed')
  const plan = JSON.parse(release(dir, 'plan', '--json').out) as Array<{
    name: string
    bump: string
    reasons: string[]
  }>
  const errors = plan.find((entry) => entry.name === '@event-backbone/errors')!
  assert.equal(errors.bump, 'major')
  assert.match(errors.reasons.join('\n'), /public API changed or removed/)
  setVersion(dir, 'errors', '1.0.1')
  commit('release: errors as a patch')
  assert.match(
    release(dir, 'check').out,
    /@event-backbone\/errors .* is a patch version, but its changes need a major one/,
  )
})

test('release apply bumps by the changes, moves the dependents ranges and writes the changelog from the commits', (t) => {
  const { dir, commit } = scratchClone(t)
  // Release whatever main holds unreleased first, so the change below is the only one since.
  assert.equal(release(dir, 'apply').code, 0)
  commit('release: what main held')
  addField(dir, { name: 'channel', type: ['null', 'string'], default: null })
  commit('PaymentConfirmed: optional channel')
  const before = JSON.parse(readFileSync(join(dir, 'libs/catalog/package.json'), 'utf8')).version as string
  const applied = release(dir, 'apply')
  assert.equal(applied.code, 0, applied.out)
  const [major, minor] = before.split('.').map(Number) as [number, number]
  const next = `${major}.${minor + 1}.0`
  assert.match(applied.out, new RegExp(`@event-backbone/catalog ${before} → ${next} \\(minor\\)`))
  assert.equal(JSON.parse(readFileSync(join(dir, 'libs/catalog/package.json'), 'utf8')).version, next)
  const serde = JSON.parse(readFileSync(join(dir, 'libs/serde/package.json'), 'utf8'))
  assert.equal(serde.dependencies['@event-backbone/catalog'], `^${next}`)
  const changelog = readFileSync(join(dir, 'libs/catalog/CHANGELOG.md'), 'utf8')
  assert.match(changelog, new RegExp(`^## ${next.replaceAll('.', '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm'))
  assert.match(changelog, /schema of PaymentConfirmed: compatible/)
  assert.match(changelog, /- [0-9a-f]+ PaymentConfirmed: optional channel/)
  assert.ok(changelog.indexOf(`## ${next}`) < changelog.indexOf('## 1.0.0'), 'the newest release comes first')
  commit('release')
  assert.equal(release(dir, 'check').code, 0, 'the applied versions pass the check')
})
