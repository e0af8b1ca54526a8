/** Just enough semantic versioning for the release script: x.y.z, no pre-releases. */
import { type Bump, bumps, strongest } from '../../libs/cli/src/schema-bump.ts'

export type { Bump }
export { strongest }

function parts(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (!match) throw new Error(`'${version}' is not a x.y.z version`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

export function bumpVersion(version: string, bump: Bump): string {
  const [major, minor, patch] = parts(version)
  if (bump === 'major') return `${major + 1}.0.0`
  if (bump === 'minor') return `${major}.${minor + 1}.0`
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`
  return version
}

/** The bump that took `from` to `to`; 'none' when `to` is not higher. */
export function bumpBetween(from: string, to: string): Bump {
  const [a, b] = [parts(from), parts(to)]
  if (b[0] > a[0]) return 'major'
  if (b[0] < a[0]) return 'none'
  if (b[1] > a[1]) return 'minor'
  if (b[1] < a[1]) return 'none'
  return b[2] > a[2] ? 'patch' : 'none'
}

export function atLeast(actual: Bump, needed: Bump): boolean {
  return bumps.indexOf(actual) >= bumps.indexOf(needed)
}

/**
 * What an API report change means: a declaration removed or changed (a line of the old report
 * gone) breaks users, major; only new lines are new API, minor; identical reports, none.
 */
export function apiBump(before: string, after: string): Bump {
  const lines = (report: string) =>
    new Set(
      report
        .split('\n')
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('//')),
    )
  const [old, now] = [lines(before), lines(after)]
  for (const line of old) if (!now.has(line)) return 'major'
  for (const line of now) if (!old.has(line)) return 'minor'
  return 'none'
}
