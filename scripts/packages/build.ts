/**
 * Builds the npm packages (`npm run build`): for each package of packages.ts, an ESM bundle for
 * Node 22+ with source maps and rolled-up `.d.ts` types (tsdown), its assets, then an API report
 * per library (API Extractor, committed as libs/<dir>/api/<name>.api.md).
 *
 *   node scripts/packages/build.ts            build, and rewrite the API reports
 *   node scripts/packages/build.ts --check    build, and fail when a report differs from the
 *                                             committed one (the CI gate against accidental API
 *                                             changes)
 *   node scripts/packages/build.ts --docs     also write the API docs (docs/api, API Documenter)
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor'
import { type PackageSpec, packages, shortName } from './packages.ts'

const root = new URL('../../', import.meta.url).pathname
const buildDir = join(root, '.build')
const check = process.argv.includes('--check')
const docs = process.argv.includes('--docs')

function say(line: string): void {
  process.stdout.write(`[build] ${line}\n`)
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr)
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`)
  }
}

function bundle(spec: PackageSpec): void {
  const dir = join(root, 'libs', spec.dir)
  rmSync(join(dir, 'dist'), { recursive: true, force: true })
  for (const [from, to] of spec.assets) {
    rmSync(join(dir, to), { recursive: true, force: true })
    mkdirSync(dirname(join(dir, to)), { recursive: true })
    cpSync(join(root, from), join(dir, to), { recursive: true })
  }
  run(
    process.execPath,
    [
      join(root, 'node_modules/tsdown/dist/run.mjs'),
      spec.entry,
      '--format=esm',
      '--platform=node',
      // The oldest maintained LTS line; the example's test runs the packages on 22 and 24.
      '--target=node22',
      '--sourcemap',
      '--no-fixed-extension',
      '--out-dir=dist',
      '--no-clean',
      ...(spec.kind === 'library' ? ['--dts'] : []),
    ],
    dir,
  )
}

/** API Extractor on the rolled-up types: the report (api/<name>.api.md) and the doc model. */
function extractApi(spec: PackageSpec): boolean {
  const dir = join(root, 'libs', spec.dir)
  const name = shortName(spec)
  const entry = join(dir, 'dist/index.d.ts')
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: dir,
      mainEntryPointFilePath: entry,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2024',
            lib: ['es2024'],
            types: ['node'],
            typeRoots: [join(root, 'node_modules/@types')],
            strict: true,
            skipLibCheck: true,
          },
          files: [entry],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: join(dir, 'api'),
        reportTempFolder: join(buildDir, 'api-report', name),
      },
      docModel: { enabled: true, apiJsonFilePath: join(buildDir, 'api-model', `${name}.api.json`) },
      newlineKind: 'lf',
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Missing doc comments and release tags are reported by the docs, not as API changes.
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          'ae-undocumented': { logLevel: ExtractorLogLevel.None },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(dir, 'package.json'),
  })
  mkdirSync(join(dir, 'api'), { recursive: true })
  const result = Extractor.invoke(config, {
    localBuild: !check,
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Error) say(`${name}: ${message.text}`)
      message.handled = message.logLevel !== ExtractorLogLevel.Error
    },
  })
  if (check && result.apiReportChanged) {
    say(
      `${spec.name}: the public API differs from libs/${spec.dir}/api/${name}.api.md. If the change is ` +
        `meant, run \`npm run build\`, commit the report and version the package accordingly (docs/packages.md).`,
    )
    return false
  }
  return result.succeeded
}

/** Markdown API docs under docs/api (not committed: they are generated from the types). */
function apiDocs(): void {
  const target = join(root, 'docs/api')
  rmSync(target, { recursive: true, force: true })
  run(
    process.execPath,
    [
      join(root, 'node_modules/@microsoft/api-documenter/bin/api-documenter'),
      'markdown',
      '--input-folder',
      join(buildDir, 'api-model'),
      '--output-folder',
      target,
    ],
    root,
  )
  say(`API docs written to docs/api (start at docs/api/index.md)`)
}

const started = Date.now()
rmSync(join(buildDir, 'api-model'), { recursive: true, force: true })
let ok = true
for (const spec of packages) {
  bundle(spec)
  if (spec.kind === 'library') ok = extractApi(spec) && ok
  say(`${spec.name} built`)
}
if (docs) apiDocs()
say(`${ok ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
process.exit(ok ? 0 : 1)
