/** Fails when checked-in generated files are stale. Each generator registers here. */
import { eventTypesGenerator } from './generate-types.ts'

const generators: Array<{ name: string; check: () => Promise<string[]> }> = [eventTypesGenerator]

let stale = 0
for (const generator of generators) {
  const problems = await generator.check()
  for (const problem of problems) process.stderr.write(`${generator.name}: ${problem}\n`)
  stale += problems.length
}
if (stale > 0) {
  process.stderr.write('generated files are stale: run `npm run generate` and commit the result\n')
  process.exit(1)
}
