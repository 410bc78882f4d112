/**
 * The tldraw editor, synced with the board's room. This is the React side of the island:
 * it reports the board's state through `onState` and hands out the editor through `onReady`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Tldraw,
  atom,
  inlineBase64AssetStore,
  react,
  type Editor,
  type TLComponents,
  type TLUiOverrides,
} from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import type { BoardState, CanvasOptions, ConnectionState } from './board-state'
import { boardSocketUrl } from './socket-url'
import { boardCacheKey } from './board-cache'
import { useBoardSync } from './board-sync'
import { styleNonce } from './style-nonce'
import { syncFailure } from './sync-errors'
import { LIMITS, boardNoticeSchema, roleMessageSchema, type Role } from '../protocol'
import { toast } from 'svelte-sonner'
import { readAgenda, type AgendaSection } from '../board/agenda'
import { guardBackground } from './background-guard'
import { createCanvasHandle } from './handle'
import { createNoteBadges, noteUtilWithBadges } from './note-badges'
import { FrameWithMarksUtil, GeoWithMarksUtil } from './export-marks-svg'
import { pickToolFor, type PickerSlot } from './pick-tool'
import { QuietStylePanel } from './QuietStylePanel'
import { ZoneCounts } from './ZoneCounts'
import { FrozenFrames } from './FrozenFrames'
import { FacilitatorActionsMenu } from './FreezeMenu'
import { FacilitatorToolbar } from './FacilitatorToolbar'
import { boardContextMenu } from './BoardMenus'
import { createBoardMenus } from './board-menu'
import { ShapePlaceholder, canvasFallback } from './CanvasFallbacks'
import { keepRecordsReadable } from './readable-records'
import { createCursorLane, lanePresence } from './cursor-lane'
import { laneCursor } from './LaneCursor'
import { quickenEdits, sendEditsSoon } from './sync-cadence'
import { preloadFonts } from './font-preload'
import { BOARD_FONT_URLS } from './board-fonts'

// Fonts, icons and translations come from our own origin, bundled by Vite.
const assetUrls = getAssetUrlsByImport()
// The board's fonts download while the board is on its way (font-preload.ts); a board opened
// from a link at start-up has them asked for already (src/app/preload-board.ts).
preloadFonts(BOARD_FONT_URLS)

// tldraw's editor keeps a `user` record for the current user in the shared document; the
// server refuses those (who someone is comes from their role and presence), so the editor is
// told there is none. Presence still shows the name and colour from the user preferences.
const noUserRecord = { currentUser: atom('no user record', null) }

// tldraw tags its few <style> elements with this, and so does its text editor (TipTap, which
// injects its base styles): the page's policy allows that nonce only (style-nonce.ts).
const nonce = styleNonce()
const options = { nonce, text: { tipTapConfig: { injectNonce: nonce } } }

// The Svelte top bar replaces tldraw's page menu and share panel; zone counts and frozen frames
// draw on the canvas; the style panel waits for a selection or a tool.
const components: TLComponents = {
  PageMenu: null,
  SharePanel: null,
  OnTheCanvas: OnTheCanvas,
  StylePanel: QuietStylePanel,
}
// The facilitator's actions menu adds "Freeze frame" (the server refuses it from anyone else);
// their toolbar has the laser pointer up front.
const facilitatorComponents: TLComponents = {
  ...components,
  ActionsMenu: FacilitatorActionsMenu,
  Toolbar: FacilitatorToolbar,
}

function OnTheCanvas() {
  return (
    <>
      <ZoneCounts />
      <FrozenFrames />
    </>
  )
}

// Locking belongs to the facilitator (the server refuses it from anyone else), so the others
// do not get the menu item and shortcut that would only bounce.
const withoutLocking: TLUiOverrides = {
  actions(_editor, actions) {
    delete actions['toggle-lock']
    delete actions['unlock-all']
    return actions
  },
}

/**
 * The canvas, loaded again from the server when its editor fails (CanvasFallbacks.tsx): at
 * once the first time, then when asked. The whole sync client goes with it, not just the
 * editor: an exception inside a store write can leave tldraw's client no longer sending this
 * tab's changes, while it still reads as saved, so the new canvas starts from what the server
 * holds, on a new connection. The shape placeholder keeps one broken shape from getting that far.
 */
export function BoardCanvas(props: CanvasOptions) {
  const [generation, setGeneration] = useState(0)
  const failures = useRef(0)
  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const firstFailure = useCallback(() => failures.current++ === 0, [])
  return <SyncedCanvas key={generation} {...props} reload={reload} firstFailure={firstFailure} />
}

function SyncedCanvas(props: CanvasOptions & { reload: () => void; firstFailure: () => boolean }) {
  const { roomId, role, credential, onState, onReady, onServerMessage, licenseKey, headless } =
    props
  // A headless export is nobody: it shows no cursor and is not counted as taking part.
  const personId = headless ? null : props.user.id
  const personKey = headless ? null : props.personKey
  // Asked before every connection attempt (a ticket is good once); stops once we unmount.
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  const uri = useMemo(
    () => () =>
      boardSocketUrl(
        roomId,
        credential,
        personId ? { id: personId, key: personKey } : null,
        () => !mounted.current,
      ),
    [roomId, credential, personId, personKey],
  )
  // Cursors on their own lane (cursor-lane.ts); `?lane=off` keeps tldraw's own presence, as the
  // edit benchmark's baseline peer (bench/browser-edits.ts).
  const laneOff = useMemo(
    () => new URLSearchParams(window.location.search).get('lane') === 'off',
    [],
  )
  const lane = useMemo(
    () =>
      createCursorLane({
        uri,
        publish: role !== 'viewer' && !headless,
        facilitator: role === 'facilitator',
        off: laneOff,
      }),
    [uri, role, headless, laneOff],
  )
  // Who is who, as the server tells it (role badges): kept across reconnects of this canvas.
  const roles = useMemo(() => atom<Roles>('roles', { you: null, byPresence: {} }), [])
  // Vote counts, own dots and "only you" marks on stickies, set by features through the handle.
  const badges = useMemo(() => createNoteBadges(), [])
  // Features' context-menu entries (board-menu.ts), set through the handle.
  const menus = useMemo(() => createBoardMenus(), [])
  // Zone counts and frozen marks in image exports too (export-marks-svg.tsx).
  const shapeUtils = useMemo(
    () => [noteUtilWithBadges(badges), GeoWithMarksUtil, FrameWithMarksUtil],
    [badges],
  )
  // A shape that fails to draw is a placeholder; an editor that fails loads the canvas again.
  const { reload, firstFailure } = props
  const withFallbacks = useMemo(() => {
    const fallbacks: TLComponents = {
      ShapeErrorFallback: ShapePlaceholder,
      ErrorFallback: canvasFallback(reload, firstFailure),
      CollaboratorCursor: laneCursor(lane.showCursors),
    }
    // Everyone's context menu has the features' entries; the facilitator's also "Freeze frame".
    return {
      participant: { ...components, ...fallbacks, ContextMenu: boardContextMenu(menus, false) },
      facilitator: {
        ...facilitatorComponents,
        ...fallbacks,
        ContextMenu: boardContextMenu(menus, true),
      },
    }
  }, [reload, firstFailure, lane, menus])
  // Clicks on stickies for a feature (a dot vote), through the handle's `startPicking`.
  const picker = useMemo<PickerSlot>(() => ({ current: null }), [])
  const tools = useMemo(() => [pickToolFor(picker)], [picker])
  // The lane's socket; the sync client built on it (right after, in the same effect) sends
  // and applies edits without waiting for a frame when it was idle (sync-cadence.ts).
  // (With the lane off, its socket is tldraw's plain adapter and tldraw's cadence stands.)
  const connect = useMemo(
    () =>
      laneOff
        ? lane.connect
        : (query: { sessionId: string; storeId: string }) => {
            const socket = lane.connect(query)
            queueMicrotask(() => quickenEdits(socket))
            return socket
          },
    [lane, laneOff],
  )
  // The last copy of this view of the board on this device (board-cache.ts); none headless.
  const secret = credential && ('f' in credential ? credential.f : credential.k)
  const cacheKey = headless ? null : boardCacheKey(roomId, role, personId, secret)
  const store = useBoardSync({
    connect,
    cacheKey,
    assets: inlineBase64AssetStore,
    users: noUserRecord,
    // What the server says beside sync; each hearer checks the message is its own (the
    // workshop's, src/protocol/facilitation.ts, go on to the shell).
    onCustomMessageReceived: (data: unknown) => {
      if (lane.receive(data)) return
      showBoardNotice(data)
      hearRoles(roles, data)
      onServerMessage(data)
    },
    ...(headless
      ? { getUserPresence: () => null }
      : laneOff
        ? {}
        : { getUserPresence: lanePresence }),
  })
  // tldraw re-renders us when the socket goes up or down; the reporter reads it from here.
  const connectionStatus = useRef<LinkStatus>('offline')
  const reportNow = useRef<(() => void) | null>(null)
  if (store.status === 'synced-remote') connectionStatus.current = store.connectionStatus
  else if (store.status === 'cached') connectionStatus.current = 'cached'

  useEffect(() => {
    if (store.status === 'synced-remote' || store.status === 'cached') {
      reportNow.current?.()
    } else if (store.status === 'error') {
      onState({ ...EMPTY_STATE, connection: { kind: 'failed', failure: syncFailure(store.error) } })
    } else if (store.status === 'loading') {
      onState({ ...EMPTY_STATE, connection: { kind: 'loading' } })
    }
  }, [store, onState])

  // The lane keeps the presence records of this store (and sends this tab's cursor) while it
  // is synced; a new sync client brings a new store.
  const syncedStore = store.status === 'synced-remote' ? store.store : null
  useEffect(() => (syncedStore ? lane.attach(syncedStore) : undefined), [lane, syncedStore])
  useEffect(
    () => (syncedStore && !laneOff ? sendEditsSoon(syncedStore) : undefined),
    [syncedStore, laneOff],
  )

  // The features get the editor once the board is the server's (never on the cached copy).
  const [editor, setEditor] = useState<Editor | null>(null)
  const synced = syncedStore !== null
  useEffect(() => {
    if (!editor || !synced) return
    onReady(createCanvasHandle(editor, roomId, role, badges, picker, lane, menus))
    return () => onReady(null)
  }, [editor, synced, onReady, roomId, role, badges, picker, lane, menus])

  if (store.status !== 'synced-remote' && store.status !== 'cached') return null
  // Before the editor first measures anything: a record it cannot read is made readable.
  keepRecordsReadable(store.store)
  return (
    <Tldraw
      store={store.store}
      assetUrls={assetUrls}
      options={options}
      components={role === 'facilitator' ? withFallbacks.facilitator : withFallbacks.participant}
      shapeUtils={shapeUtils}
      tools={tools}
      overrides={role === 'facilitator' ? undefined : withoutLocking}
      licenseKey={licenseKey}
      maxAssetSize={LIMITS.maxImageBytes}
      // Pasted photos are scaled down to this: plenty for a workshop board, and light to sync.
      maxImageDimension={LIMITS.maxImageDimension}
      onMount={(editor) => {
        // For the console and the browser tests. The server checks every write, so handing
        // the editor to page scripts grants nothing the client did not already have.
        ;(window as unknown as { editor?: Editor }).editor = editor
        setEditor(editor)
        // Open on the whole board: a template's frames are bigger than most screens.
        if (editor.getCurrentPageShapeIds().size > 0) editor.zoomToFit()
        const stopGuarding = guardBackground(editor, role)
        const reporter = reportState(editor, roles, () => connectionStatus.current, onState)
        reportNow.current = reporter.report
        return () => {
          reportNow.current = null
          reporter.stop()
          stopGuarding()
          setEditor(null)
        }
      }}
    />
  )
}

/** What the server says over the socket besides sync: a refused edit, shown as a toast. */
function showBoardNotice(data: unknown) {
  const notice = boardNoticeSchema.safeParse(data)
  if (notice.success) toast.error(notice.data.message, { id: notice.data.kind })
}

const EMPTY_STATE: BoardState = {
  connection: { kind: 'loading' },
  title: '',
  collaborators: [],
  role: null,
  agenda: [],
}

/** The socket's state as the reporter reads it; `cached`: the copy on this device is shown. */
type LinkStatus = 'online' | 'offline' | 'cached'

/** Each session's role by its presence record id, and ours. */
interface Roles {
  you: Role | null
  byPresence: Record<string, Role>
}

/** The server's word on who is who; anything else that arrives as a custom message is ignored. */
function hearRoles(roles: ReturnType<typeof atom<Roles>>, data: unknown) {
  const message = roleMessageSchema.safeParse(data)
  if (!message.success) return
  const m = message.data
  roles.update((known) => {
    if (m.type === 'roles') return { you: m.you, byPresence: m.roles }
    const byPresence = { ...known.byPresence }
    if (m.type === 'role-joined') byPresence[m.presenceId] = m.role
    else delete byPresence[m.presenceId]
    return { ...known, byPresence }
  })
}

/**
 * Pushes the board's state to the shell whenever it changes. While the socket is down, the
 * records the user changes are counted, so the top bar can say how many edits are waiting.
 */
function reportState(
  editor: Editor,
  roles: ReturnType<typeof atom<Roles>>,
  connectionStatus: () => LinkStatus,
  onState: (state: BoardState) => void,
) {
  const waiting = new Set<string>()
  const stopCounting = editor.store.listen(
    ({ changes }) => {
      if (connectionStatus() === 'online') return
      for (const diff of [changes.added, changes.updated, changes.removed]) {
        for (const id of Object.keys(diff)) waiting.add(id)
      }
      report()
    },
    { source: 'user', scope: 'document' },
  )
  const connection = (): ConnectionState => {
    if (connectionStatus() === 'cached') return { kind: 'cached' }
    if (connectionStatus() === 'online') {
      // Back online: tldraw's client re-sends everything the server had not acknowledged.
      waiting.clear()
      return { kind: 'connected' }
    }
    const pendingEdits = waiting.size
    return navigator.onLine
      ? { kind: 'reconnecting', pendingEdits }
      : { kind: 'offline', pendingEdits }
  }
  // The report runs on every presence change; the agenda is parsed again only when the
  // document's meta is a new object.
  let lastMeta: unknown = undefined
  let lastAgenda: AgendaSection[] = []
  const agendaOf = (meta: unknown) => {
    if (meta !== lastMeta) {
      lastMeta = meta
      lastAgenda = readAgenda(meta)
    }
    return lastAgenda
  }
  let lastReported = ''
  const report = () => {
    const state: BoardState = {
      connection: connection(),
      title: editor.getDocumentSettings().name,
      collaborators: editor.getCollaborators().map((c) => ({
        id: c.id,
        name: c.userName || 'Anonymous',
        color: c.color,
        role: roles.get().byPresence[c.id] ?? null,
      })),
      role: roles.get().you,
      agenda: agendaOf(editor.getDocumentSettings().meta),
    }
    // Presence records change with every cursor move; the shell hears only when what it shows
    // (names, colours, title, connection) changes.
    const key = JSON.stringify(state)
    if (key === lastReported) return
    lastReported = key
    onState(state)
  }
  const stopReacting = react('report board state', report)
  window.addEventListener('online', report)
  window.addEventListener('offline', report)
  return {
    report,
    stop() {
      stopCounting()
      stopReacting()
      window.removeEventListener('online', report)
      window.removeEventListener('offline', report)
    },
  }
}
