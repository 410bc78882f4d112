/**
 * The team library party, spoken to over HTTP on the real `partykit dev`: what a facilitator
 * publishes, teammates read; without the secret nothing changes, and a refused request leaves
 * nothing behind.
 */
import { readFileSync } from 'node:fs'
import { libraryPath, libraryTemplatePath } from '../../src/protocol'
import { expect, test } from './fixtures'

const retroText = readFileSync(new URL('../../templates/retro.json', import.meta.url), 'utf8')
const retro = JSON.parse(retroText) as {
  id: string
  title: string
  elements: Record<string, unknown>[]
}

const freshId = () =>
  `l${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)

function library(serverUrl: string, libraryId: string) {
  const url = (path: string) => `${serverUrl}${path}`
  const templateUrl = (templateId: string) => url(libraryTemplatePath(libraryId, templateId))
  const auth = (secret?: string): Record<string, string> => ({
    'Content-Type': 'application/json',
    ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
  })
  return {
    id: libraryId,
    create: (body: unknown) =>
      fetch(url(libraryPath(libraryId)), {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      }),
    list: () => fetch(url(libraryPath(libraryId))),
    get: (templateId: string) => fetch(templateUrl(templateId)),
    put: (templateId: string, body: string, secret?: string) =>
      fetch(templateUrl(templateId), { method: 'PUT', body, headers: auth(secret) }),
    remove: (templateId: string, secret?: string) =>
      fetch(templateUrl(templateId), { method: 'DELETE', headers: auth(secret) }),
    /** The ids the listing shows, and that each one can be read. */
    async stored(): Promise<string[]> {
      const listing = (await (await this.list()).json()) as { templates: { id: string }[] }
      const ids = listing.templates.map((t) => t.id)
      for (const id of ids) expect((await this.get(id)).status).toBe(200)
      return ids
    },
  }
}

test('a library: create, publish, list, read, replace, remove', async ({ server }) => {
  const libraryId = freshId()
  const lib = library(server.url, libraryId)

  const missing = await lib.list()
  expect(missing.status).toBe(404)
  expect((await missing.json()).error).toMatch(/No team library/)

  const created = await lib.create({ name: '  Platform team ' })
  expect(created.status).toBe(201)
  const { secret, ...rest } = await created.json()
  expect(rest).toEqual({ libraryId, name: 'Platform team' })
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)

  const again = await lib.create({ name: 'Someone else' })
  expect(again.status).toBe(409)
  expect((await again.json()).error).toMatch(/already exists/)

  const empty = await lib.list()
  expect(empty.headers.get('cache-control')).toBe('no-store')
  expect(await empty.json()).toEqual({ libraryId, name: 'Platform team', templates: [] })

  const published = await lib.put('retro', retroText, secret)
  expect(published.status).toBe(201)
  const summary = await published.json()
  expect(summary).toMatchObject({ id: 'retro', title: retro.title, minutes: expect.any(Number) })
  expect(summary.publishedAt).toBe(summary.updatedAt)

  const listing = await (await lib.list()).json()
  expect(listing.templates).toEqual([summary])
  expect(JSON.stringify(listing)).not.toContain(secret)

  const read = await lib.get('retro')
  expect(read.status).toBe(200)
  expect(read.headers.get('content-type')).toMatch(/application\/json/)
  expect(read.headers.get('cache-control')).toBe('no-store')
  const template = await read.json()
  expect(template).toMatchObject({ id: 'retro', title: retro.title, elements: retro.elements })

  const replaced = await lib.put(
    'retro',
    JSON.stringify({ ...retro, title: 'Sprint retro' }),
    secret,
  )
  expect(replaced.status).toBe(200)
  const newSummary = await replaced.json()
  expect(newSummary).toMatchObject({ title: 'Sprint retro', publishedAt: summary.publishedAt })
  expect(newSummary.updatedAt).toBeGreaterThanOrEqual(summary.updatedAt)
  expect((await (await lib.get('retro')).json()).title).toBe('Sprint retro')

  const second = await lib.put('second-one', JSON.stringify({ ...retro, id: 'second-one' }), secret)
  expect(second.status).toBe(201)
  expect(await lib.stored()).toEqual(['second-one', 'retro'])

  // Far past one 128 KiB storage value: stored in pieces, read back as it was.
  const big = {
    ...retro,
    id: 'big-one',
    elements: [
      ...retro.elements,
      ...Array.from({ length: 100 }, (_, i) => ({
        type: 'text',
        id: `filler-${i}`,
        x: 0,
        y: 2000 + i * 100,
        w: 800,
        text: `${i} `.padEnd(4000, 'lorem ipsum '),
      })),
    ],
  }
  const bigText = JSON.stringify(big)
  expect(bigText.length).toBeGreaterThan(3 * 128 * 1024)
  expect((await lib.put('big-one', bigText, secret)).status).toBe(201)
  expect((await (await lib.get('big-one')).json()).elements).toHaveLength(big.elements.length)
  expect((await lib.remove('big-one', secret)).status).toBe(204)

  const removed = await lib.remove('retro', secret)
  expect(removed.status).toBe(204)
  expect((await lib.get('retro')).status).toBe(404)
  expect(await lib.stored()).toEqual(['second-one'])
  const gone = await lib.remove('retro', secret)
  expect(gone.status).toBe(404)
  expect((await gone.json()).error).toMatch(/no template "retro"/)
})

test('a library refuses strangers and bad uploads, and stores nothing', async ({ server }) => {
  const lib = library(server.url, freshId())
  const { secret } = await (await lib.create({ name: 'Coaches' })).json()
  expect((await lib.put('retro', retroText, secret)).status).toBe(201)
  const original = await (await lib.get('retro')).text()
  const unchanged = async () => {
    expect(await lib.stored()).toEqual(['retro'])
    expect(await (await lib.get('retro')).text()).toBe(original)
  }
  const changed = JSON.stringify({ ...retro, title: 'Defaced' })

  // No secret, a wrong one, a malformed one: 403, for publishing and for removing.
  for (const wrong of [undefined, 'A'.repeat(43), 'hello']) {
    const put = await lib.put('retro', changed, wrong)
    expect(put.status).toBe(403)
    expect((await put.json()).error).toMatch(/secret/)
    expect(
      (await lib.put('new-one', JSON.stringify({ ...retro, id: 'new-one' }), wrong)).status,
    ).toBe(403)
    expect((await lib.remove('retro', wrong)).status).toBe(403)
    await unchanged()
  }

  // Over 512 KiB: 413.
  const oversized = JSON.stringify({ ...retro, notes: 'x'.repeat(600 * 1024) })
  const tooBig = await lib.put('retro', oversized, secret)
  expect(tooBig.status).toBe(413)
  expect((await tooBig.json()).error).toMatch(/over 512 KiB/)
  await unchanged()
  // The same without a declared length (streamed): refused once too much has arrived.
  const chunks = oversized.match(/[^]{1,65536}/g)!.map((c) => new TextEncoder().encode(c))
  const streamed = await fetch(`${server.url}${libraryTemplatePath(lib.id, 'retro')}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: new ReadableStream({
      pull(controller) {
        const chunk = chunks.shift()
        if (chunk) controller.enqueue(chunk)
        else controller.close()
      },
    }),
    duplex: 'half',
  } as RequestInit)
  expect(streamed.status).toBe(413)
  await unchanged()

  // An invalid template: 400 with each problem's path.
  const broken = structuredClone(retro)
  broken.elements[3].w = 'wide'
  const invalid = await lib.put('retro', JSON.stringify(broken), secret)
  expect(invalid.status).toBe(400)
  const problems = await invalid.json()
  expect(problems.error).toMatch(/elements\[3\]\.w/)
  expect(problems.problems).toContainEqual({ path: 'elements[3].w', message: expect.any(String) })
  await unchanged()

  // Not JSON, and an id that is not the one in the address.
  const notJson = await lib.put('retro', '{"formatVersion": 1,', secret)
  expect(notJson.status).toBe(400)
  expect((await notJson.json()).error).toMatch(/not JSON/)
  const otherId = await lib.put('other-one', changed, secret)
  expect(otherId.status).toBe(400)
  expect((await otherId.json()).problems).toEqual([
    { path: 'id', message: expect.stringContaining('other-one') },
  ])
  await unchanged()

  // Methods and ids the library does not know.
  const patch = await fetch(`${server.url}${libraryTemplatePath(freshId(), 'retro')}`, {
    method: 'PATCH',
  })
  expect(patch.status).toBe(405)
  expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE')
  const badTemplateId = await lib.get('Not_A_Template')
  expect(badTemplateId.status).toBe(400)
  await unchanged()
})

test('unknown and malformed libraries', async ({ server }) => {
  const malformed = await fetch(`${server.url}/parties/library/not-a-library`)
  expect(malformed.status).toBe(400)
  expect((await malformed.json()).error).toMatch(/Malformed library id/)

  const lib = library(server.url, freshId())
  for (const response of [
    await lib.list(),
    await lib.get('retro'),
    await lib.put('retro', retroText, 'A'.repeat(43)),
    await lib.remove('retro', 'A'.repeat(43)),
  ]) {
    expect(response.status).toBe(404)
    expect((await response.json()).error).toMatch(/No team library/)
  }

  const badName = await lib.create({ name: '' })
  expect(badName.status).toBe(400)
  expect((await badName.json()).error).toMatch(/name/)
  expect((await lib.list()).status).toBe(404)
})

test('the app’s library client, against the server', async ({ server }) => {
  // src/app/library.ts runs here with just enough of a window: an address, its history and
  // localStorage; its relative requests go to the test server.
  const storage = new Map<string, string>()
  const fakeWindow = {
    location: new URL(`${server.url}/`),
    history: {
      state: null,
      replaceState(_state: unknown, _title: string, url: string) {
        fakeWindow.location = new URL(url, fakeWindow.location)
      },
    },
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  }
  const realFetch = globalThis.fetch
  Object.defineProperty(globalThis, 'window', { value: fakeWindow, configurable: true })
  globalThis.fetch = (input, init) =>
    realFetch(new URL(input instanceof Request ? input.url : input, server.url), init)
  try {
    const client = await import('../../src/templates/library-client')
    const { libraryId, secret } = await client.createLibrary('Client team')
    expect(client.knownLibraries()).toEqual([{ libraryId, name: 'Client team', secret }])

    const summary = await client.publishTemplate(libraryId, secret, retro as never)
    expect(summary).toMatchObject({ id: 'retro', title: retro.title })
    expect((await client.listLibrary(libraryId)).templates).toEqual([summary])
    expect((await client.fetchLibraryTemplate(libraryId, 'retro')).title).toBe(retro.title)

    const refused = await client
      .publishTemplate(libraryId, 'A'.repeat(43), retro as never)
      .catch((e: unknown) => e)
    expect(refused).toMatchObject({ status: 403, message: 'That is not this library’s secret.' })
    const broken = structuredClone(retro)
    broken.elements[3].w = 'wide'
    const invalid = await client
      .publishTemplate(libraryId, secret, broken as never)
      .catch((e: unknown) => e)
    expect(invalid).toMatchObject({
      status: 400,
      body: { problems: [{ path: 'elements[3].w' }] },
    })

    await client.removeTemplate(libraryId, secret, 'retro')
    expect((await client.listLibrary(libraryId)).templates).toEqual([])
    const missing = await client.fetchLibraryTemplate(libraryId, 'retro').catch((e: unknown) => e)
    expect(missing).toMatchObject({ status: 404, message: 'This library has no template "retro".' })

    // A publish link, opened on another device: remembered, and the secret leaves the address.
    const links = client.libraryLinks(libraryId, secret)
    expect(links).toEqual({
      read: `${server.url}/?library=${libraryId}`,
      publish: `${server.url}/?library=${libraryId}#ls=${secret}`,
    })
    storage.clear()
    fakeWindow.location = new URL(links.publish!)
    expect(client.claimLibraryFromUrl()).toEqual({ libraryId, name: 'Team library', secret })
    expect(fakeWindow.location.href).toBe(links.read)
    await client.listLibrary(libraryId)
    expect(client.knownLibraries()).toEqual([{ libraryId, name: 'Client team', secret }])

    // A read link adds no secret, and a known one is kept.
    expect(client.claimLibraryFromUrl()).toMatchObject({ secret })
    client.forgetLibrarySecret(libraryId)
    expect(client.claimLibraryFromUrl()).toEqual({ libraryId, name: 'Client team' })
    fakeWindow.location = new URL(`${server.url}/b/somewhere`)
    expect(client.claimLibraryFromUrl()).toBeNull()
  } finally {
    globalThis.fetch = realFetch
    Reflect.deleteProperty(globalThis, 'window')
  }
})
