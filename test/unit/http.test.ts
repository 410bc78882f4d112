import { describe, expect, it } from 'vitest'
import { libraryTemplatePath, roomIdSchema, snapshotImagePath } from '../../src/protocol'
import { newRoomId } from '../../src/shared/ids'
import {
  crossSiteWrite,
  idInPath,
  malformedId,
  readJson,
  requestPath,
} from '../../src/server/http/http'

const id = 'abcdefghijklmnopqrstuv'

describe('ids', () => {
  it('accepts the room ids the app mints and rejects guessable ones', () => {
    for (let i = 0; i < 50; i++) expect(roomIdSchema.safeParse(newRoomId()).success).toBe(true)
    for (const bad of ['abc', 'has space in it 1234567', '../../etc/passwd0000000']) {
      expect(roomIdSchema.safeParse(bad).success).toBe(false)
    }
  })

  it('refuses a malformed board or library id with 400, saying which', async () => {
    expect(malformedId('board', id)).toBeNull()
    const refused = malformedId('library', 'abc')
    expect(refused?.status).toBe(400)
    expect(((await refused?.json()) as { error: string }).error).toMatch(/^Malformed library id/)
  })

  it('reads ids back through the protocol’s path functions', () => {
    const image = (snapshotId: string) => snapshotImagePath(id, snapshotId)
    expect(idInPath(image('abcdefgh1'), image)).toBe('abcdefgh1')
    expect(idInPath(snapshotImagePath(id, ''), image)).toBeNull()
    expect(idInPath(`${image('abcdefgh1')}x`, image)).toBeNull()
    const template = (templateId: string) => libraryTemplatePath(id, templateId)
    expect(idInPath(template('retro/x'), template)).toBe('retro/x')
    expect(requestPath({ url: `http://localhost${template('retro')}/` })).toBe(template('retro'))
  })
})

describe('JSON bodies', () => {
  const post = (body: BodyInit) => new Request('http://localhost/', { method: 'POST', body })

  it('reads JSON, an empty body as told, and refuses what is not JSON or too big', async () => {
    expect(await readJson(post('{"a":1}'), 100, 'too big')).toEqual({ json: { a: 1 } })
    expect(await readJson(post(' '), 100, 'too big', {})).toEqual({ json: {} })
    const status = async (result: Promise<object>) => {
      const value = await result
      return 'error' in value && value.error instanceof Response ? value.error.status : 200
    }
    expect(await status(readJson(post(''), 100, 'too big'))).toBe(400)
    expect(await status(readJson(post(new Uint8Array([0x22, 0xfc, 0x22])), 100, 'x'))).toBe(400)
    expect(await status(readJson(post('x'.repeat(101)), 100, 'too big'))).toBe(413)
  })
})

describe('writes a cross-site page could send', () => {
  const write = (headers: Record<string, string>) =>
    new Request('http://localhost:1999/parties/board/x', { method: 'POST', body: '{}', headers })
  const verdict = (headers: Record<string, string>) => crossSiteWrite(write(headers))?.error.status
  const json = { 'Content-Type': 'application/json; charset=utf-8' }

  it('takes JSON from our own pages and from scripts without an Origin', () => {
    expect(verdict(json)).toBeUndefined()
    expect(verdict({ ...json, 'Sec-Fetch-Site': 'same-origin' })).toBeUndefined()
    expect(verdict({ ...json, Origin: 'http://localhost:1999' })).toBeUndefined()
    // Behind a proxy (npm run dev): the page's origin is the Host the proxy passed on.
    expect(verdict({ ...json, Origin: 'http://localhost:5173', Host: 'localhost:5173' })).toBe(
      undefined,
    )
  })

  it('refuses other sites (403) and what needs no preflight (415)', () => {
    expect(verdict({ ...json, 'Sec-Fetch-Site': 'cross-site' })).toBe(403)
    expect(verdict({ ...json, 'Sec-Fetch-Site': 'same-site' })).toBe(403)
    expect(verdict({ ...json, Origin: 'https://evil.example' })).toBe(403)
    expect(verdict({ ...json, Origin: 'null' })).toBe(403)
    expect(verdict({ 'Content-Type': 'text/plain;charset=UTF-8' })).toBe(415)
    expect(verdict({ 'Content-Type': 'application/x-www-form-urlencoded' })).toBe(415)
    expect(verdict({ 'Content-Type': 'application/jsonp' })).toBe(415)
    expect(verdict({})).toBe(415)
  })
})
