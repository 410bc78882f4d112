/**
 * The contract between the browser and the PartyKit server. Both sides import this module,
 * so a URL, a request body or a close reason cannot drift apart. It is the one entry point:
 * each subject has its own file here, re-exported below (`../protocol` is all a caller needs).
 */
import './zod-setup'
export * from './ids'
export * from './board'
export * from './roles'
export * from './tickets'
export * from './limits'
export * from './closes'
export * from './pages'
export * from './library'
export * from './snapshots'
export * from './people'
export * from './cursors'
