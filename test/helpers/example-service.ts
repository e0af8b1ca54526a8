import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { cacheDir } from '#libs/kafka-local'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url).pathname

/** The maintained LTS line besides the project's own Node 24; the packages are tested on both. */
export const NODE22_VERSION = '22.23.3'

/**
 * The Node 22 binary, installed once per machine from the npm package `node` (as the project
 * brings its Node 24) into the cache dir.
 */
export async function ensureNode22(): Promise<string> {
  const prefix = join(cacheDir(), `node-${NODE22_VERSION}`)
  const binary = join(prefix, 'node_modules/node/bin/node')
  if (existsSync(binary)) return binary
  mkdirSync(prefix, { recursive: true })
  // npm runs the package's install script (it fetches the platform binary package) only when allowed.
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }))
  await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `node@${NODE22_VERSION}`], {
    cwd: prefix,
  })
  return binary
}

/**
 * An environment for code outside this repository: none of the repository's Node options (its
 * source export condition), and not inside this test run (node:test children report to their
 * parent through NODE_TEST_CONTEXT instead of printing).
 */
export function outsideEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env['NODE_OPTIONS']
  delete env['NODE_TEST_CONTEXT']
  return env
}

/**
 * A copy of examples/payments-service in `dir` with the packed packages installed by npm. Its
 * package.json names the packages by version, as the npm registry would serve them; here each
 * points at its tarball instead (what `npm install ./x.tgz` writes), with the client's own
 * @event-backbone dependencies beside it (the registry would resolve those) and the CLI as a
 * devDependency.
 */
export async function installExample(dir: string, tarballs: readonly string[]): Promise<void> {
  cpSync(join(root, 'examples/payments-service'), dir, { recursive: true })
  const tarball = (name: string) => {
    const found = tarballs.find((file) => file.includes(`event-backbone-${name}-`))
    if (!found) throw new Error(`no tarball of @event-backbone/${name}`)
    return `file:${found}`
  }
  const manifestPath = join(dir, 'package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    dependencies: Record<string, string>
    devDependencies: Record<string, string>
  }
  for (const section of [manifest.dependencies, manifest.devDependencies]) {
    for (const name of Object.keys(section)) {
      if (name.startsWith('@event-backbone/')) section[name] = tarball(name.slice('@event-backbone/'.length))
    }
  }
  manifest.dependencies['@event-backbone/serde'] = tarball('serde')
  manifest.dependencies['@event-backbone/errors'] = tarball('errors')
  manifest.devDependencies['@event-backbone/cli'] = tarball('cli')
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: outsideEnv({}) })
}

export interface RunningService {
  readonly process: ChildProcess
  /** Resolves with the first JSON line that matches. */
  line(match: (fields: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>
  /** Resolves with the first `count` JSON lines that match. */
  lines(
    match: (fields: Record<string, unknown>) => boolean,
    count: number,
    what: string,
  ): Promise<Array<Record<string, unknown>>>
  stop(): Promise<number | null>
}

/** Runs the example's `src/main.ts` with `node`, reading its JSON log lines. */
export function startExample(node: string, dir: string, env: NodeJS.ProcessEnv): RunningService {
  const child = spawn(node, ['src/main.ts'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const seen: Array<Record<string, unknown>> = []
  const waiters = new Set<() => void>()
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      seen.push(JSON.parse(text) as Record<string, unknown>)
    } catch {
      return
    }
    for (const wake of waiters) wake()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    process: child,
    async line(match, what) {
      const [found] = await this.lines(match, 1, what)
      return found!
    },
    lines(match, count, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`the example service never logged ${what}; stderr: ${stderr}`))
        }, 90_000)
        const check = () => {
          const found = seen.filter(match)
          if (found.length < count) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(found.slice(0, count))
        }
        waiters.add(check)
        void exited.then(() => {
          if (waiters.has(check)) {
            clearTimeout(timer)
            reject(new Error(`the example service exited before it logged ${what}; stderr: ${stderr}`))
          }
        })
        check()
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
