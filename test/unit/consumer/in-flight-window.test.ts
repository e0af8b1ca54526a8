import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { Ordering } from '#libs/consumer'
import { InFlightWindow } from '../../../libs/consumer/src/ordering/window.ts'

interface Run {
  readonly starts: number[]
  readonly finishes: number[]
  /** For every started record: the records that had finished when it started. */
  readonly finishedWhenStarted: Map<number, ReadonlySet<number>>
  /** The most records running at once. */
  readonly peakRunning: number
  /** After every finish: the window's prefix and the finished set at that time. */
  readonly checks: Array<{ prefix: number; finished: ReadonlySet<number> }>
}

/**
 * Drives a window like the runtime does: start everything it allows, then finish one running
 * record picked by `picks` (random durations); records in `stuck` never finish (a stopped group, a
 * retry record not due yet).
 */
function simulate(window: InFlightWindow, picks: number[], stuck: ReadonlySet<number>): Run {
  const running: number[] = []
  const finished = new Set<number>()
  const run: Run = { starts: [], finishes: [], finishedWhenStarted: new Map(), peakRunning: 0, checks: [] }
  let peak = 0
  for (let step = 0; ; step++) {
    for (let index = window.take(); index >= 0; index = window.take()) {
      running.push(index)
      run.starts.push(index)
      run.finishedWhenStarted.set(index, new Set(finished))
    }
    peak = Math.max(peak, running.length, window.running)
    const finishable = running.filter((index) => !stuck.has(index))
    if (finishable.length === 0) break
    const index = finishable[(picks[step % picks.length] ?? 0) % finishable.length]!
    running.splice(running.indexOf(index), 1)
    window.finish(index)
    finished.add(index)
    run.finishes.push(index)
    run.checks.push({ prefix: window.finishedPrefix, finished: new Set(finished) })
  }
  return { ...run, peakRunning: peak }
}

const batch = fc.record({
  keys: fc.array(fc.option(fc.integer({ min: 0, max: 6 }).map(String), { freq: 8 }), { maxLength: 60 }),
  ordering: fc.constantFrom(Ordering.partition, Ordering.key, Ordering.none),
  maxInFlight: fc.integer({ min: 1, max: 12 }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 80 }),
})

test('records of one key start in offset order, each only after the previous one of its key finished', () => {
  fc.assert(
    fc.property(batch, ({ keys, maxInFlight, picks }) => {
      const window = new InFlightWindow(keys, Ordering.key, maxInFlight)
      const run = simulate(window, picks, new Set())
      for (const [index, finishedBefore] of run.finishedWhenStarted) {
        for (let earlier = 0; earlier < index; earlier++) {
          if ((keys[earlier] ?? null) !== (keys[index] ?? null)) continue
          assert.ok(
            finishedBefore.has(earlier),
            `record ${index} started before ${earlier} of its key finished`,
          )
        }
      }
    }),
  )
})

test('every record is processed exactly once, whatever the ordering, bound and durations', () => {
  fc.assert(
    fc.property(batch, ({ keys, ordering, maxInFlight, picks }) => {
      const window = new InFlightWindow(keys, ordering, maxInFlight)
      const run = simulate(window, picks, new Set())
      assert.deepEqual(
        [...run.starts].sort((a, b) => a - b),
        keys.map((_, i) => i),
      )
      assert.equal(new Set(run.finishes).size, keys.length)
      assert.equal(window.complete, true)
      assert.equal(window.finishedPrefix, keys.length)
    }),
  )
})

test('the committable prefix never passes an unfinished record, also when some records never finish', () => {
  fc.assert(
    fc.property(
      batch,
      fc.array(fc.nat(59), { maxLength: 4 }),
      ({ keys, ordering, maxInFlight, picks }, stuckList) => {
        const stuck = new Set(stuckList.filter((index) => index < keys.length))
        const window = new InFlightWindow(keys, ordering, maxInFlight)
        const run = simulate(window, picks, stuck)
        for (const { prefix, finished } of run.checks) {
          for (let i = 0; i < prefix; i++) assert.ok(finished.has(i), `index ${i} below prefix ${prefix}`)
          if (prefix < keys.length) assert.ok(!finished.has(prefix), 'the prefix is as long as it can be')
        }
        const firstStuck = Math.min(keys.length, ...stuck)
        assert.ok(window.finishedPrefix <= firstStuck)
        if (stuck.size === 0) assert.equal(window.finishedPrefix, keys.length)
      },
    ),
  )
})

test('no more records run at once than the bound, and partition ordering runs one at a time in order', () => {
  fc.assert(
    fc.property(batch, ({ keys, ordering, maxInFlight, picks }) => {
      const window = new InFlightWindow(keys, ordering, maxInFlight)
      const run = simulate(window, picks, new Set())
      const bound = ordering === Ordering.partition ? 1 : maxInFlight
      assert.ok(run.peakRunning <= bound, `${run.peakRunning} ran at once, bound ${bound}`)
      if (ordering === Ordering.partition) assert.deepEqual(run.finishes, run.starts)
      if (ordering !== Ordering.key) {
        assert.deepEqual(
          run.starts,
          keys.map((_, i) => i),
        )
      }
    }),
  )
})

test('different keys run at once under key ordering; one key never does', () => {
  const window = new InFlightWindow(['a', 'b', 'a', 'c', null, null], Ordering.key, 10)
  const first: number[] = []
  for (let index = window.take(); index >= 0; index = window.take()) first.push(index)
  assert.deepEqual(first, [0, 1, 3, 4], 'a, b, c and the first keyless record start; the second a waits')
  window.finish(1)
  assert.equal(window.finishedPrefix, 0, 'record 0 still runs, so nothing may be committed')
  window.finish(0)
  assert.equal(window.finishedPrefix, 2)
  assert.equal(window.take(), 2, 'the second a starts once the first finished')
  window.finish(4)
  assert.equal(window.take(), 5, 'keyless records are ordered among themselves')
  assert.equal(window.take(), -1)
})

test('a bound below 1 is a programming error', () => {
  assert.throws(() => new InFlightWindow([], Ordering.key, 0), RangeError)
})
