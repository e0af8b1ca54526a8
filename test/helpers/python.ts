import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cacheDir } from '#libs/kafka-local'

/** Confluent's Python client, pinned: the virtual environment is cached per version. */
export const CONFLUENT_KAFKA_PYTHON = '2.16.1'
const REQUIREMENT = `confluent-kafka[schemaregistry,avro,json,protobuf]==${CONFLUENT_KAFKA_PYTHON}`

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command with a hard time bound (SIGKILL after `timeoutMs`). */
export function run(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env = process.env,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

let pending: Promise<string> | undefined

/**
 * A Python virtual environment with Confluent's client, created on first use from PyPI and cached
 * under the project's cache dir (`BACKBONE_CACHE_DIR`, else `~/.cache/event-backbone`), so a clean
 * machine needs only `python3`. It is built in a scratch directory and renamed into place once
 * complete, so an interrupted install never leaves a half-made environment behind. Returns the
 * environment's python executable.
 */
export function confluentPython(): Promise<string> {
  pending ??= (async () => {
    const dir = join(cacheDir(), 'python', `confluent-kafka-${CONFLUENT_KAFKA_PYTHON}`)
    const python = join(dir, 'bin', 'python')
    if (existsSync(join(dir, '.complete'))) return python
    await mkdir(join(cacheDir(), 'python'), { recursive: true })
    const scratch = `${dir}.partial-${process.pid}`
    await rm(scratch, { recursive: true, force: true })
    const venv = await run('python3', ['-m', 'venv', scratch], 120_000)
    if (venv.code !== 0) {
      throw new Error(
        `python3 -m venv failed (${venv.code}); the Python client tests need python3: ${venv.stderr}`,
      )
    }
    const pip = await run(
      join(scratch, 'bin', 'python'),
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--timeout',
        '30',
        '--retries',
        '3',
        REQUIREMENT,
      ],
      // Bounded: a stalled index fails the test instead of hanging it.
      600_000,
      { ...process.env, PIP_NO_CACHE_DIR: '0', PIP_CACHE_DIR: join(cacheDir(), 'pip') },
    )
    if (pip.code !== 0) {
      await rm(scratch, { recursive: true, force: true })
      throw new Error(`pip install ${REQUIREMENT} failed (${pip.code}): ${pip.stderr.slice(-2_000)}`)
    }
    await writeFile(join(scratch, '.complete'), `${REQUIREMENT}\n`)
    // Another run may have finished first: keep the one in place.
    if (existsSync(join(dir, '.complete'))) await rm(scratch, { recursive: true, force: true })
    else {
      await rm(dir, { recursive: true, force: true })
      await rename(scratch, dir)
    }
    return python
  })()
  return pending
}
