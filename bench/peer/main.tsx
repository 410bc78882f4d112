/**
 * The open benchmark's peer (bench/open.ts): tldraw's own `<Tldraw>`, the same version as the
 * app's, with its fonts, icons and translations served from this page's origin, loading the
 * same records as a Switchback board (a store snapshot at `?records=<file>`, fetched from the
 * same static server), zoomed to fit as Switchback opens a board. No sync, no shell: what tldraw
 * costs on its own.
 */
import { createRoot } from 'react-dom/client'
import { Tldraw, type Editor, type TLStoreSnapshot } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'

const assetUrls = getAssetUrlsByImport()

async function main() {
  const records = new URLSearchParams(location.search).get('records')
  const snapshot = records
    ? ((await (await fetch(`./${records}`)).json()) as TLStoreSnapshot)
    : undefined
  createRoot(document.getElementById('app')!).render(
    <Tldraw
      snapshot={snapshot}
      assetUrls={assetUrls}
      onMount={(editor) => {
        // The bench's probe finds the editor here, as it does on a Switchback board.
        ;(window as unknown as { editor?: Editor }).editor = editor
        if (editor.getCurrentPageShapeIds().size > 0) editor.zoomToFit()
      }}
    />,
  )
}

void main()
