import type { AlertSeverity, SecurityAlert, UserLogin } from '@event-backbone/catalog'
import { uuidFrom } from '@event-backbone/client'

export interface MonitorConfig {
  /** Failed attempts within one window that raise an alert. */
  readonly threshold: number
  readonly windowMs: number
}

interface Tally {
  readonly windowStart: number
  readonly firstFailureId: string
  count: number
  alerted: boolean
  readonly ips: Map<string, number>
  readonly users: Set<string>
  lastReason: string | null
}

/** Prefix of the subject of an alert about one IP address (SecurityAlert.userId is the subject). */
export const ipSubjectPrefix = 'ip:'

/**
 * Counts failed logins per user and per IP address in tumbling event-time windows and raises one
 * alert per subject, window and run of failures when the count reaches the threshold. A successful
 * login clears the user's tally (not the IP's: one success does not make an address trustworthy).
 * The alert id derives from subject, window and the run's first failed event, so a redelivered
 * run raises the same alert id and a new run after a reset a new one.
 */
export class LoginMonitor {
  readonly #config: MonitorConfig
  readonly #tallies = new Map<string, Tally>()
  #latestWindow = 0

  constructor(config: MonitorConfig) {
    this.#config = config
  }

  observe(login: UserLogin, now: Date): SecurityAlert[] {
    const at = login.occurredAt.getTime()
    const windowStart = at - (at % this.#config.windowMs)
    this.#evict(windowStart)
    const userSubject = login.userId
    if (login.outcome === 'SUCCEEDED') {
      this.#tallies.delete(`${userSubject}\u0000${windowStart}`)
      return []
    }
    const alerts: SecurityAlert[] = []
    for (const subject of [userSubject, `${ipSubjectPrefix}${login.ipAddress}`]) {
      const alert = this.#count(subject, windowStart, login, now)
      if (alert) alerts.push(alert)
    }
    return alerts
  }

  /** Tallies held in memory (bounded: windows older than the previous one are dropped). */
  get size(): number {
    return this.#tallies.size
  }

  #count(subject: string, windowStart: number, login: UserLogin, now: Date): SecurityAlert | undefined {
    const key = `${subject}\u0000${windowStart}`
    let tally = this.#tallies.get(key)
    if (!tally) {
      tally = {
        windowStart,
        firstFailureId: login.eventId,
        count: 0,
        alerted: false,
        ips: new Map(),
        users: new Set(),
        lastReason: null,
      }
      this.#tallies.set(key, tally)
    }
    tally.count++
    tally.ips.set(login.ipAddress, (tally.ips.get(login.ipAddress) ?? 0) + 1)
    tally.users.add(login.userId)
    tally.lastReason = login.failureReason ?? null
    if (tally.alerted || tally.count < this.#config.threshold) return undefined
    tally.alerted = true
    return {
      eventId: uuidFrom('security-alert-event', subject, String(windowStart), tally.firstFailureId),
      occurredAt: now,
      source: 'login-monitor',
      alertId: uuidFrom('security-alert', subject, String(windowStart), tally.firstFailureId),
      userId: subject,
      ipAddresses: [...tally.ips.entries()].sort((a, b) => b[1] - a[1]).map(([ip]) => ip),
      failureCount: tally.count,
      windowStart: new Date(windowStart),
      windowEnd: new Date(windowStart + this.#config.windowMs),
      severity: severityOf(subject, tally),
      lastFailureReason: tally.lastReason,
    }
  }

  /** Drops tallies of windows before the previous one: late attempts for them start a fresh tally. */
  #evict(windowStart: number): void {
    if (windowStart <= this.#latestWindow) return
    this.#latestWindow = windowStart
    const horizon = windowStart - this.#config.windowMs
    for (const [key, tally] of this.#tallies) if (tally.windowStart < horizon) this.#tallies.delete(key)
  }
}

/** Many addresses against one user, or one address against many users, is worse than a typo streak. */
function severityOf(subject: string, tally: Tally): AlertSeverity {
  const spread = subject.startsWith(ipSubjectPrefix) ? tally.users.size : tally.ips.size
  return spread >= 3 ? 'HIGH' : 'MEDIUM'
}
