/**
 * Three routes do not need a router library: the path is read from `location`, and
 * `navigate` pushes history and updates it.
 */
import { roomIdInBoardPage } from '../protocol'

export type Route =
  { page: 'home' } | { page: 'new' } | { page: 'board'; roomId: string } | { page: 'missing' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  if (pathname === '/new') return { page: 'new' }
  const roomId = roomIdInBoardPage(pathname)
  if (roomId !== null) return { page: 'board', roomId }
  return { page: 'missing' }
}

class Router {
  route = $state<Route>(parseRoute(window.location.pathname))
  /**
   * Bumped when the fragment changes by hand (a board link's key lives there), so the board
   * page opens again with the new key instead of keeping the old one.
   */
  visit = $state(0)

  constructor() {
    window.addEventListener('popstate', () => {
      this.route = parseRoute(window.location.pathname)
    })
    window.addEventListener('hashchange', () => this.visit++)
  }

  navigate(href: string, options: { replace?: boolean } = {}) {
    if (options.replace) window.history.replaceState(null, '', href)
    else window.history.pushState(null, '', href)
    this.route = parseRoute(window.location.pathname)
  }
}

export const router = new Router()
