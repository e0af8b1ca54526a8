import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClasspathResolutionError, MavenNotFoundError } from '@event-backbone/errors'

/** The POM that pins Apache Kafka and the jars the broker needs at run time. */
export const kafkaPom = fileURLToPath(new URL('../maven/pom.xml', import.meta.url))

/** Where resolved classpaths are cached: outside the repo, so clean checkouts start fast too. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env['BACKBONE_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'event-backbone')
  )
}

function runMaven(mvn: string, args: string[], logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // First resolution downloads ~60 MB from Maven Central; later ones only read ~/.m2.
    execFile(mvn, args, { timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      void writeFile(logFile, `${stdout}\n${stderr}`).catch(() => {})
      if (!error) return resolve()
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new MavenNotFoundError(undefined, { cause: error, context: { mvn } }))
      }
      const lastLine = `${stdout}\n${stderr}`
        .trim()
        .split('\n')
        .findLast((line) => line.includes('ERROR'))
      reject(
        new ClasspathResolutionError(
          `could not resolve the Apache Kafka jars through Maven (${lastLine?.trim() ?? error.message}); see ${logFile}`,
          { cause: error },
        ),
      )
    })
  })
}

/**
 * The broker's Java classpath. Resolved once through Maven and cached by the POM's hash; a cached
 * list whose jars have gone (a wiped ~/.m2) is resolved again.
 */
export async function resolveKafkaClasspath(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const pom = await readFile(kafkaPom)
  const key = createHash('sha256').update(pom).digest('hex').slice(0, 16)
  const dir = cacheDir(env)
  const cached = join(dir, `kafka-classpath-${key}.txt`)
  await mkdir(dir, { recursive: true })
  if (existsSync(cached)) {
    const classpath = (await readFile(cached, 'utf8')).trim()
    if (classpath?.split(delimiter).every((jar) => existsSync(jar))) return classpath
  }
  const fresh = `${cached}.${process.pid}.tmp`
  await runMaven(
    env['BACKBONE_MVN'] ?? 'mvn',
    ['-q', '-B', '-f', kafkaPom, 'dependency:build-classpath', `-Dmdep.outputFile=${fresh}`],
    join(dir, 'maven.log'),
  )
  await rename(fresh, cached)
  return (await readFile(cached, 'utf8')).trim()
}

export const packageRoot = dirname(kafkaPom)
