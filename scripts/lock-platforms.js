// `npm run lock:platforms`: adds to package-lock.json the entries of optional platform packages
// (native builds for other operating systems and CPUs) that npm left out because the registry these
// machines reach does not serve them. Without the entries `npm ci` refuses the lock as out of sync
// ("Missing: @yuku-toolchain/darwin-arm64@ from lock file"); with them it skips the packages by
// their os/cpu, as it does for any other platform's build. Run it after every `npm install`;
// test/unit/packages/lockfile.test.ts fails while an entry is missing. Plain JS: it must run
// before the locked dependencies are installed.
import { readFileSync, writeFileSync } from 'node:fs'

const platform =
  /[-/](darwin|linux|win32|windows|freebsd|android)-(arm64|x64|64|ia32|arm)(-(gnu|musl|msvc|gnueabihf))?$/
// workerd names its builds @cloudflare/workerd-<darwin|linux|windows>-<64|arm64>; npm's os/cpu say win32 and x64.
const osNames = { windows: 'win32' }
const cpuNames = { 64: 'x64' }

export function missingPlatformEntries(lock) {
  const missing = []
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const match = platform.exec(name)
      if (!match) continue
      const nested = `${path}/node_modules/${name}`
      const hoisted = `node_modules/${name}`
      if (lock.packages[nested] || lock.packages[hoisted]) continue
      missing.push({
        key: hoisted,
        entry: {
          version,
          cpu: [cpuNames[match[2]] ?? match[2]],
          dev: entry.dev ?? false,
          optional: true,
          os: [osNames[match[1]] ?? match[1]],
          ...(match[4] ? { libc: [match[4] === 'musl' ? 'musl' : 'glibc'] } : {}),
        },
      })
    }
  }
  return missing
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('../package-lock.json', import.meta.url)
  const lock = JSON.parse(readFileSync(file, 'utf8'))
  const missing = missingPlatformEntries(lock)
  // Untouched when complete: a newer lock makes scripts/node24.js reinstall everything.
  if (missing.length === 0) {
    process.stdout.write('the lock lists every optional platform build\n')
    process.exit(0)
  }
  for (const { key, entry } of missing) lock.packages[key] = entry
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  )
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
  process.stdout.write(
    `${missing.length} optional platform entr${missing.length === 1 ? 'y' : 'ies'} added\n`,
  )
}
