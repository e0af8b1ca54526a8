/**
 * Results of a run merged into the published ones: entries of the names this run covered are
 * replaced, the others kept (each carries when and how it was measured), sorted by name.
 */
export function mergeResults<T>(
  previous: readonly T[],
  latest: readonly T[],
  covered: readonly string[],
  nameOf: (result: T) => string,
  keep: (result: T) => T = (result) => result,
): T[] {
  return [...previous.filter((result) => !covered.includes(nameOf(result))).map(keep), ...latest].sort(
    (a, b) => nameOf(a).localeCompare(nameOf(b)),
  )
}
