/**
 * Versions and changelogs of the npm packages, from the commits (`npm run release -- <command>`).
 *
 *   plan     what each package needs since its current version was set: the bump its changes
 *            call for and the commits that make its changelog
 *   apply    does it: new versions, the dependents' ranges, a CHANGELOG.md section per package;
 *            then commit, build and publish
 *   check    the CI gate: the latest version change of every package is at least the bump its
 *            changes called for (a breaking API or schema change is never a minor or a patch)
 *
 * A package's release point is the commit that set its current version. The bump its changes
 * call for is the strongest of: its API report (libs/<dir>/api, a removed or changed line is
 * major, new lines minor), for @event-backbone/catalog the schema changes as
 * `backbone schemas check --against` judges them, and any commit touching its sources (patch).
 * `--repo DIR` runs on another checkout (the tests use a scratch clone).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { schemasAtRevision, schemasInTree } from '../../libs/cli/src/git-schemas.ts'
import { schemaChanges } from '../../libs/cli/src/schema-bump.ts'
import { type PackageSpec, packages, shortName } from './packages.ts'
import { apiBump, atLeast, type Bump, bumpBetween, bumpVersion, strongest } from './semver.ts'

/** The working tree, as a revision. */
const TREE = 'working tree'

export interface PackagePlan {
  readonly name: string
  readonly version: string
  /** The commit that set the current version (undefined: never committed). */
  readonly releasedAt: string | undefined
  readonly bump: Bump
  readonly reasons: readonly string[]
  readonly commits: readonly string[]
  readonly next: string
}

export class Repo {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  git(args: string[]): string | undefined {
    try {
      return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch {
      return undefined
    }
  }

  file(revision: string, path: string): string | undefined {
    if (revision === TREE)
      return existsSync(join(this.dir, path)) ? readFileSync(join(this.dir, path), 'utf8') : undefined
    return this.git(['show', `${revision}:${path}`])
  }

  version(revision: string, spec: PackageSpec): string | undefined {
    const manifest = this.file(revision, `libs/${spec.dir}/package.json`)
    return manifest === undefined ? undefined : (JSON.parse(manifest) as { version: string }).version
  }

  /** Commits that changed the package's version, newest first; the working tree first when it did. */
  versionChanges(spec: PackageSpec): string[] {
    const log = this.git(['log', '--format=%H', '--', `libs/${spec.dir}/package.json`]) ?? ''
    const changes = log
      .split('\n')
      .filter(Boolean)
      .filter((commit) => this.version(commit, spec) !== this.version(`${commit}^`, spec))
    return this.version(TREE, spec) !== this.version('HEAD', spec) ? [TREE, ...changes] : changes
  }

  /** The bump the changes between two revisions call for, and why. */
  needed(spec: PackageSpec, from: string, to: string): { bump: Bump; reasons: string[]; commits: string[] } {
    const reasons: string[] = []
    const commits = (
      this.git([
        'log',
        '--format=%h %s',
        ...(to === TREE ? [`${from}..HEAD`] : [`${from}..${to}`]),
        '--',
        ...spec.sources,
      ]) ?? ''
    )
      .split('\n')
      .filter(Boolean)
    let bump: Bump = commits.length > 0 ? 'patch' : 'none'
    if (to === TREE && (this.git(['status', '--porcelain', '--', ...spec.sources]) ?? '').trim() !== '') {
      bump = strongest(bump, 'patch')
    }
    if (spec.kind === 'library') {
      const report = `libs/${spec.dir}/api/${shortName(spec)}.api.md`
      const [before, after] = [this.file(from, report), this.file(to, report)]
      if (before !== undefined && after !== undefined) {
        const api = apiBump(before, after)
        if (api !== 'none')
          reasons.push(`public API ${api === 'major' ? 'changed or removed' : 'added'} (${report})`)
        bump = strongest(bump, api)
      }
    }
    if (spec.dir === 'catalog') {
      const after = to === TREE ? schemasInTree(this.dir) : schemasAtRevision(this.dir, to)
      for (const change of schemaChanges(schemasAtRevision(this.dir, from), after)) {
        if (change.bump === 'none') continue
        reasons.push(
          `schema of ${change.eventType}: ${change.change}${change.messages.length ? ` (${change.messages[0]})` : ''}`,
        )
        bump = strongest(bump, change.bump)
      }
    }
    return { bump, reasons, commits }
  }

  plan(spec: PackageSpec): PackagePlan {
    const version = this.version(TREE, spec) ?? '0.0.0'
    const releasedAt = this.versionChanges(spec).find((revision) => revision !== TREE)
    const pending = this.version(TREE, spec) !== this.version('HEAD', spec)
    if (releasedAt === undefined || pending) {
      return { name: spec.name, version, releasedAt, bump: 'none', reasons: [], commits: [], next: version }
    }
    const { bump, reasons, commits } = this.needed(spec, releasedAt, TREE)
    return { name: spec.name, version, releasedAt, bump, reasons, commits, next: bumpVersion(version, bump) }
  }

  /** Problems of the latest version change of each package: a bump weaker than its changes called for. */
  check(): string[] {
    const problems: string[] = []
    for (const spec of packages) {
      const [latest, previous] = this.versionChanges(spec)
      if (latest === undefined || previous === undefined) continue
      const [from, to] = [this.version(previous, spec)!, this.version(latest, spec)!]
      const needed = this.needed(spec, previous, latest)
      const actual = bumpBetween(from, to)
      if (!atLeast(actual, needed.bump)) {
        problems.push(
          `${spec.name} ${from} → ${to} is a ${actual} version, but its changes need a ${needed.bump} one: ` +
            needed.reasons.join('; '),
        )
      }
    }
    return problems
  }

  apply(plans: readonly PackagePlan[], date: string): void {
    const next = new Map(plans.map((plan) => [plan.name, plan]))
    for (const spec of packages) {
      const path = join(this.dir, 'libs', spec.dir, 'package.json')
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
        version: string
        dependencies?: Record<string, string>
      }
      const plan = next.get(spec.name)!
      manifest.version = plan.next
      for (const name of Object.keys(manifest.dependencies ?? {})) {
        const dependency = next.get(name)
        if (dependency) manifest.dependencies![name] = `^${dependency.next}`
      }
      writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`)
      if (plan.bump === 'none') continue
      const changelog = join(this.dir, 'libs', spec.dir, 'CHANGELOG.md')
      const old = existsSync(changelog) ? readFileSync(changelog, 'utf8') : `# ${spec.name}\n`
      const [title, ...rest] = old.split('\n')
      const section = [
        `## ${plan.next} (${date})`,
        '',
        `${plan.bump[0]!.toUpperCase()}${plan.bump.slice(1)} release.${plan.reasons.length ? '' : ' No public API or schema change.'}`,
        ...plan.reasons.map((reason) => `- ${reason}`),
        '',
        'Commits:',
        ...(plan.commits.length ? plan.commits.map((commit) => `- ${commit}`) : ['- (uncommitted changes)']),
        '',
      ]
      writeFileSync(
        changelog,
        [title, '', ...section, ...rest.filter((line, i) => i > 0 || line !== '')].join('\n'),
      )
    }
  }
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { repo: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const repo = new Repo(resolve(values.repo ?? new URL('../../', import.meta.url).pathname))
  const command = positionals[0] ?? 'plan'
  const out = (text: string) => process.stdout.write(`${text}\n`)
  if (command === 'check') {
    const problems = repo.check()
    for (const problem of problems) out(`✖ ${problem}`)
    if (problems.length === 0) out('every package version matches its changes')
    return problems.length === 0 ? 0 : 1
  }
  if (command === 'plan' || command === 'apply') {
    const plans = packages.map((spec) => repo.plan(spec))
    if (values.json) out(JSON.stringify(plans, null, 2))
    else {
      for (const plan of plans) {
        out(
          `${plan.name} ${plan.version}${plan.bump === 'none' ? ': nothing to release' : ` → ${plan.next} (${plan.bump})`}`,
        )
        for (const reason of plan.reasons) out(`    ${reason}`)
      }
    }
    if (command === 'apply') repo.apply(plans, new Date().toISOString().slice(0, 10))
    return 0
  }
  process.stderr.write('usage: release.ts [--repo DIR] [--json] plan|apply|check\n')
  return 2
}

if (import.meta.main) process.exit(main())
