/**
 * Builds the packages and packs each into a tarball with npm, as `npm publish` would upload it
 * (`npm run pack -- <dir>`, default .build/packs). Prints the tarballs' paths as JSON.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { packages } from './packages.ts'

const root = new URL('../../', import.meta.url).pathname

export function packPackages(destination: string, options: { build?: boolean } = {}): string[] {
  if (options.build !== false) {
    execFileSync(process.execPath, [join(root, 'scripts/packages/build.ts')], { stdio: 'ignore', cwd: root })
  }
  rmSync(destination, { recursive: true, force: true })
  mkdirSync(destination, { recursive: true })
  const packed = JSON.parse(
    execFileSync(
      'npm',
      [
        'pack',
        '--json',
        '--pack-destination',
        destination,
        ...packages.map((spec) => `--workspace=${spec.name}`),
      ],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  ) as Array<{ filename: string }>
  return packed.map((entry) => join(destination, entry.filename))
}

if (import.meta.main) {
  const destination = resolve(process.argv[2] ?? join(root, '.build/packs'))
  process.stdout.write(`${JSON.stringify(packPackages(destination), null, 2)}\n`)
}
