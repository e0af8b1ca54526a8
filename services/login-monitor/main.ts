// login-monitor: logins → SecurityAlert on repeated failures per user or IP (at-least-once).
import { runConsumerService } from '#libs/service'
import { loginSubscriptions } from './handler.ts'

await runConsumerService({ name: 'login-monitor', subscriptions: loginSubscriptions })
