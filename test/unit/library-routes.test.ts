import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { libraryPath, libraryTemplatePath } from '../../src/protocol'
import { LibraryStore } from '../../src/server/library/library-store'
import {
  handleLibraryRequest,
  readCreateBody,
  readTemplateBody,
  routeLibraryRequest,
} from '../../src/server/library/library-routes'
import { hashSecret, mintSecret, secretMatches } from '../../src/server/rules/roles'
import { MAX_TEMPLATE_BYTES } from '../../src/protocol/template-format'
import { MemoryStorage } from './memory-storage'

const id = 'abcdefghijklmnopqrstuv'
const origin = 'http://localhost'
const retroText = readFileSync(new URL('../../templates/retro.json', import.meta.url), 'utf8')
const retro = JSON.parse(retroText) as { id: string; elements: Record<string, unknown>[] }
const secret = 'S'.repeat(43)
const JSON_TYPE = { 'Content-Type': 'application/json' }

const at = (path: string, init?: RequestInit) => new Request(`${origin}${path}`, init)
const put = (body: BodyInit, headers: Record<string, string> = {}) =>
  at(libraryTemplatePath(id, 'retro'), { method: 'PUT', body, headers })

async function refusal(result: Promise<object> | object) {
  const value = await result
  if (!('error' in value) || !(value.error instanceof Response)) throw new Error('expected error')
  return {
    status: value.error.status,
    body: (await value.error.json()) as { error: string; problems?: unknown[] },
    allow: value.error.headers.get('Allow'),
  }
}

describe('library routes', () => {
  it('tells the requests apart by method and path', () => {
    expect(routeLibraryRequest(at(libraryPath(id)), id)).toEqual({ kind: 'listing' })
    expect(routeLibraryRequest(at(`${libraryPath(id)}/`, { method: 'POST' }), id)).toEqual({
      kind: 'create',
    })
    const template = libraryTemplatePath(id, 'retro')
    expect(routeLibraryRequest(at(template), id)).toEqual({ kind: 'read', templateId: 'retro' })
    expect(
      routeLibraryRequest(
        at(template, { method: 'PUT', headers: { Authorization: `Bearer ${secret}` } }),
        id,
      ),
    ).toEqual({ kind: 'publish', templateId: 'retro', secret })
    expect(routeLibraryRequest(at(template, { method: 'DELETE' }), id)).toEqual({
      kind: 'remove',
      templateId: 'retro',
      secret: null,
    })
  })

  it('reads a malformed Authorization header as a secret that matches nothing', () => {
    for (const header of ['Basic abc', `Bearer ${secret}x`, 'Bearer', secret]) {
      const route = routeLibraryRequest(
        at(libraryTemplatePath(id, 'retro'), {
          method: 'DELETE',
          headers: { Authorization: header },
        }),
        id,
      )
      expect(route).toEqual({ kind: 'remove', templateId: 'retro', secret: '' })
    }
  })

  it('refuses other methods with Allow, unknown paths and malformed template ids', async () => {
    expect(await refusal(routeLibraryRequest(at(libraryPath(id), { method: 'PUT' }), id))).toEqual(
      expect.objectContaining({ status: 405, allow: 'GET, POST' }),
    )
    const patch = at(libraryTemplatePath(id, 'retro'), { method: 'PATCH' })
    expect(await refusal(routeLibraryRequest(patch, id))).toEqual(
      expect.objectContaining({ status: 405, allow: 'GET, PUT, DELETE' }),
    )
    for (const path of [`${libraryPath(id)}/secrets`, `${libraryTemplatePath(id, 'retro')}/x`]) {
      expect((await refusal(routeLibraryRequest(at(path), id))).status).toBe(404)
    }
    const bad = await refusal(routeLibraryRequest(at(libraryTemplatePath(id, 'Retro!')), id))
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/Malformed template id/)
  })
})

describe('library create body', () => {
  const post = (body: string) => at(libraryPath(id), { method: 'POST', body })

  it('reads the name, trimmed', async () => {
    expect(await readCreateBody(post('{"name":"  Platform team "}'))).toEqual({
      name: 'Platform team',
    })
  })

  it('refuses a missing, long or extra field, non-JSON and oversized bodies', async () => {
    for (const body of ['', '{}', '{"name":""}', JSON.stringify({ name: 'x'.repeat(81) })]) {
      const result = await refusal(readCreateBody(post(body)))
      expect(result.status).toBe(400)
      expect(result.body.error).toMatch(/name/)
    }
    expect((await refusal(readCreateBody(post('{"name":"a","admin":true}')))).body.error).toMatch(
      /admin/,
    )
    expect(await refusal(readCreateBody(post('{nope')))).toMatchObject({
      status: 400,
      body: { error: 'Request body is not JSON.' },
    })
    expect((await refusal(readCreateBody(post('x'.repeat(5000))))).status).toBe(413)
  })
})

describe('library template body', () => {
  it('reads a valid template whose id is the one in the path', async () => {
    const result = await readTemplateBody(put(retroText), 'retro')
    if (!('template' in result)) throw new Error('expected the template')
    expect(result.template).toMatchObject({ id: 'retro', elements: retro.elements })
  })

  it('refuses invalid templates with every problem and its path', async () => {
    const broken = structuredClone(retro)
    broken.elements[3].w = 'wide'
    const result = await refusal(readTemplateBody(put(JSON.stringify(broken)), 'retro'))
    expect(result.status).toBe(400)
    expect(result.body.error).toMatch(/^The template is not valid: elements\[3\]\.w/)
    expect(result.body.problems).toEqual([
      { path: 'elements[3].w', message: expect.stringMatching(/number/) },
    ])
  })

  it('refuses a template whose id differs from the address', async () => {
    const result = await refusal(readTemplateBody(put(retroText), 'other-one'))
    expect(result.status).toBe(400)
    expect(result.body.problems).toEqual([{ path: 'id', message: expect.stringMatching(/retro/) }])
  })

  it('refuses a source link too long to list', async () => {
    const long = { ...retro, source: { title: 'Post', url: `https://e.com/${'a'.repeat(3000)}` } }
    const result = await refusal(readTemplateBody(put(JSON.stringify(long)), 'retro'))
    expect(result.body.problems).toEqual([{ path: 'source.url', message: expect.any(String) }])
  })

  it('refuses non-JSON and non-UTF-8 bodies', async () => {
    expect((await refusal(readTemplateBody(put('{"formatVersion":'), 'retro'))).body.error).toBe(
      'Request body is not JSON.',
    )
    const latin1 = new Uint8Array([0x7b, 0x22, 0xfc, 0x22, 0x7d])
    expect((await refusal(readTemplateBody(put(latin1), 'retro'))).status).toBe(400)
  })

  it('refuses an oversized body by its declared length, and by what was read', async () => {
    // Declared: refused without reading a byte (the stream would throw if read).
    const declared = new Request(`${origin}${libraryTemplatePath(id, 'retro')}`, {
      method: 'PUT',
      headers: { 'Content-Length': String(MAX_TEMPLATE_BYTES + 1) },
      body: new ReadableStream({
        pull() {
          throw new Error('the body was read')
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect((await refusal(readTemplateBody(declared, 'retro'))).status).toBe(413)

    // Undeclared (streamed): refused once more than the limit has arrived.
    let sent = 0
    const streamed = new Request(`${origin}${libraryTemplatePath(id, 'retro')}`, {
      method: 'PUT',
      body: new ReadableStream({
        pull(controller) {
          sent += 64 * 1024
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20))
          if (sent > 4 * MAX_TEMPLATE_BYTES) controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    const result = await refusal(readTemplateBody(streamed, 'retro'))
    expect(result.status).toBe(413)
    expect(result.body.error).toMatch(/over 512 KiB/)
    // Read and dropped up to twice the limit (so the client gets the refusal), then cut:
    // four times the limit was on offer.
    expect(sent).toBeLessThan(2 * MAX_TEMPLATE_BYTES + 3 * 64 * 1024)
  })
})

describe('library secret', () => {
  it('matches only the secret whose hash is stored', async () => {
    const minted = mintSecret()
    const hash = await hashSecret(minted)
    expect(await secretMatches(minted, hash)).toBe(true)
    expect(await secretMatches(mintSecret(), hash)).toBe(false)
    expect(await secretMatches('', hash)).toBe(false)
    expect(await secretMatches(null, hash)).toBe(false)
  })
})

describe('a library, end to end', () => {
  it('is created once, then published to with its secret only, read, listed and removed', async () => {
    const kv = new MemoryStorage()
    const host = {
      libraryId: id,
      store: new LibraryStore(kv),
      exclusive: <T>(task: () => Promise<T>) => task(),
    }
    const send = (path: string, init?: RequestInit) => handleLibraryRequest(at(path, init), host)
    expect((await send(libraryPath(id))).status).toBe(404)

    const create = () =>
      send(libraryPath(id), { method: 'POST', body: '{"name":"Team"}', headers: JSON_TYPE })
    const created = await create()
    expect(created.status).toBe(201)
    const { secret: minted } = (await created.json()) as { secret: string }
    expect((await create()).status).toBe(409)

    const template = libraryTemplatePath(id, 'retro')
    const stranger = at(template, {
      method: 'PUT',
      body: retroText,
      headers: { Authorization: `Bearer ${secret}`, ...JSON_TYPE },
    })
    expect((await handleLibraryRequest(stranger, host)).status).toBe(403)
    expect(stranger.bodyUsed).toBe(true)
    expect([...kv.data.keys()].filter((k) => k.startsWith('entry:'))).toEqual([])

    const auth = { Authorization: `Bearer ${minted}`, ...JSON_TYPE }
    // What a page on another site could send without a preflight, even with the secret.
    for (const headers of [
      { Authorization: `Bearer ${minted}` },
      { ...auth, 'Sec-Fetch-Site': 'cross-site' },
      { ...auth, Origin: 'https://elsewhere.example' },
    ]) {
      const sent = await send(template, { method: 'PUT', body: retroText, headers })
      expect(sent.status).toBe('Origin' in headers || 'Sec-Fetch-Site' in headers ? 403 : 415)
    }
    expect([...kv.data.keys()].filter((k) => k.startsWith('entry:'))).toEqual([])
    expect((await send(template, { method: 'PUT', body: retroText, headers: auth })).status).toBe(
      201,
    )
    expect((await send(template, { method: 'PUT', body: retroText, headers: auth })).status).toBe(
      200,
    )
    expect(await (await send(template)).json()).toMatchObject({
      id: 'retro',
      elements: retro.elements,
    })
    const listing = (await (await send(libraryPath(id))).json()) as {
      name: string
      templates: { id: string }[]
    }
    expect(listing).toMatchObject({ name: 'Team', templates: [{ id: 'retro' }] })

    expect((await send(template, { method: 'DELETE' })).status).toBe(403)
    expect((await send(template, { method: 'DELETE', headers: auth })).status).toBe(204)
    expect((await send(template, { method: 'DELETE', headers: auth })).status).toBe(404)
    expect((await send(template)).status).toBe(404)
  })
})
