// What every feature's service shares. createDesk (src/host/desk.ts) builds it once per desk and
// hands it to each feature's create function; nothing keeps it in a module-level map.

import type { SmsStore } from '../store/sms-store'
import type { DeskStore } from '../store/store'
import type { DeskService } from './desk-service'
import type { ResultLedger } from './ledger'

export interface DeskCore {
  /** The desk's use cases: configuration, registry, people, the one result write path, recap. */
  readonly desk: DeskService
  /**
   * The desk's statements (users, TPS, meta, audit, events) for features' services. Routers never
   * get it: they call services.
   */
  readonly store: DeskStore
  /** SMS codes and the SMS log (issue 15): the SMS feature's, and where codes are issued. */
  readonly smsStore: SmsStore
  /**
   * The one owner of writes to `results` and `conflicts` (service/ledger.ts): the write path
   * (DeskService), the console's decisions and the purge use it, inside desk.write(). Not on
   * DeskService, so nothing that holds only the desk's service (a router) can reach it.
   */
  readonly ledger: ResultLedger
}
