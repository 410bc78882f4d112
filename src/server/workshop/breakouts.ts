/**
 * Breakout groups: the server's rules for starting, changing and ending them, and what each
 * session sees of them. Pure (the hub in `facilitation.ts` stores and sends), so every rule is
 * unit-tested without a room. Who may send which action is decided in `roles.ts` first.
 *
 * The server alone says who is in which group: a random start shuffles the people on the
 * board here, a latecomer is put in the smallest group here, and a participant learns only
 * their own group's names (the others' sizes, labels and frames, never who is in them).
 */
import type { FacilitationAction } from '../../protocol/facilitation'
import { BIG_ROOM_LIMITS, type BreakoutState, type BreakoutView } from '../../protocol/big-rooms'
import type { ActionContext, Actor, FacilitationState, Outcome } from './workshop-state'

export type BreakoutAction = Extract<FacilitationAction, { type: `breakout-${string}` }>

export function applyBreakoutAction(
  state: FacilitationState,
  action: BreakoutAction,
  context: ActionContext,
): Outcome {
  const breakouts = state.breakouts
  if (action.type === 'breakout-start') return start(state, action, context)
  if (!breakouts) return refused('No breakouts are running.')
  switch (action.type) {
    case 'breakout-move': {
      const person = context.present?.find((p) => p.personId === action.personId)
      if (!person && breakouts.members[action.personId] === undefined) {
        return refused('That person is not on the board.')
      }
      return assign(state, breakouts, action.personId, person?.name, action.group)
    }
    case 'breakout-pick': {
      if (breakouts.assign !== 'choose') {
        return refused('The facilitator assigns the groups in these breakouts.')
      }
      const { personId } = context.actor
      if (!personId) return refused('Only a named participant can pick a group; reload.')
      // The name the board knows them by (the hub's actor name has a facilitator's fallback).
      const name = context.present?.find((p) => p.personId === personId)?.name
      return assign(state, breakouts, personId, name ?? context.actor.name, action.group)
    }
    case 'breakout-message':
      return {
        kind: 'changed',
        state: {
          ...state,
          breakouts: { ...breakouts, message: { text: action.text, at: context.now } },
        },
      }
    case 'breakout-send':
      // Nothing stored changes: everyone assigned is sent (back) to their group's copy.
      return { kind: 'changed', state, summonEach: summons(breakouts) }
    case 'breakout-end':
      // The facilitator's client lays the copies side by side and brings everyone back.
      return { kind: 'changed', state: { ...state, breakouts: null } }
  }
}

function start(
  state: FacilitationState,
  action: Extract<BreakoutAction, { type: 'breakout-start' }>,
  context: ActionContext,
): Outcome {
  if (state.breakouts) return refused('Breakouts are already running: end them first.')
  const isFrame = context.isFrame ?? (() => false)
  if (!isFrame(action.source)) return refused('The breakouts’ source is not a frame on the board.')
  const frames = new Set([action.source])
  for (const group of action.groups) {
    if (!isFrame(group.frameId))
      return refused(`${group.label}’s copy is not a frame on the board.`)
    if (frames.has(group.frameId)) {
      return refused(
        `${group.label}’s copy must be a frame of its own (not the source or another group’s).`,
      )
    }
    frames.add(group.frameId)
  }
  const members: Record<string, number> = {}
  const names: Record<string, string> = {}
  if (action.assign === 'random') {
    const people = shuffle(
      (context.present ?? [])
        .filter((p) => p.personId !== null)
        .slice(0, BIG_ROOM_LIMITS.maxAssigned),
      context.random ?? Math.random,
    )
    // Dealt round the groups in a random order: sizes differ by at most one.
    people.forEach(({ personId, name }, i) => {
      if (personId === null) return
      members[personId] = i % action.groups.length
      names[personId] = memberName(name)
    })
  }
  const breakouts: BreakoutState = {
    source: action.source,
    groups: action.groups,
    assign: action.assign,
    startedAt: context.now,
    members,
    names,
    message: null,
  }
  // The ready check starts afresh: each group counts its own.
  return {
    kind: 'changed',
    state: { ...state, breakouts, done: [] },
    summonEach: summons(breakouts),
  }
}

/** Puts a person in a group (moving them if they had one) and sends them to its copy. */
function assign(
  state: FacilitationState,
  breakouts: BreakoutState,
  personId: string,
  name: string | undefined,
  group: number,
): Outcome {
  const target = breakouts.groups[group]
  if (!target) return refused(`There is no group ${group + 1}.`)
  const had = breakouts.members[personId]
  if (had === group) return { kind: 'unchanged' }
  if (had === undefined && Object.keys(breakouts.members).length >= BIG_ROOM_LIMITS.maxAssigned) {
    return refused('The groups are full.')
  }
  const next: BreakoutState = {
    ...breakouts,
    members: { ...breakouts.members, [personId]: group },
    names: { ...breakouts.names, [personId]: memberName(name ?? breakouts.names[personId]) },
  }
  return {
    kind: 'changed',
    state: { ...state, breakouts: next },
    summonEach: [{ personId, focus: target.frameId }],
  }
}

/**
 * A participant joined during random breakouts without a group: they go to the smallest group
 * (fewest assigned; ties, the lowest number) and are sent to its copy. Unchanged when they have
 * a group already, people pick, or no breakouts run.
 */
export function assignLatecomer(state: FacilitationState, person: Actor): Outcome {
  const breakouts = state.breakouts
  const { personId } = person
  if (!breakouts || breakouts.assign !== 'random' || personId === null) return { kind: 'unchanged' }
  if (breakouts.members[personId] !== undefined) return { kind: 'unchanged' }
  const sizes = breakouts.groups.map(() => 0)
  for (const group of Object.values(breakouts.members)) sizes[group] = (sizes[group] ?? 0) + 1
  const smallest = sizes.indexOf(Math.min(...sizes))
  return assign(state, breakouts, personId, person.name || 'Anonymous', smallest)
}

/** The group a person is in, if breakouts run and they have one. */
export function groupOf(state: FacilitationState, personId: string | null): number | undefined {
  return personId === null ? undefined : state.breakouts?.members[personId]
}

/**
 * The name a group lists for a person, after a `name` action: the state with it, or null when
 * it is not needed (no group, or the same name), so an unchanged name costs no write.
 */
export function renameMember(
  state: FacilitationState,
  personId: string | null,
  name: string,
): FacilitationState | null {
  const breakouts = state.breakouts
  if (!breakouts || groupOf(state, personId) === undefined || !name) return null
  const kept = memberName(name)
  if (breakouts.names[personId!] === kept) return null
  return { ...state, breakouts: { ...breakouts, names: { ...breakouts.names, [personId!]: kept } } }
}

/** Breakouts' views for one change: the facilitator's, each group's members', and outsiders'. */
export interface BreakoutViews {
  facilitator: BreakoutView
  /** What a member of group i sees (index i). */
  member: BreakoutView[]
  /** What someone without a group sees. */
  outsider: BreakoutView
}

/**
 * Builds every view breakouts need for one state and the people here, once per change: O(n)
 * over the people assigned, then O(1) a session (`breakoutView`). Null when none run.
 */
export function breakoutViews(
  state: FacilitationState,
  here: ReadonlySet<string>,
): BreakoutViews | null {
  const breakouts = state.breakouts
  if (!breakouts) return null
  const done = new Set(state.done)
  const groups = breakouts.groups.map((g) => ({
    label: g.label,
    frameId: g.frameId,
    members: [] as { personId: string; name: string; here: boolean }[],
    ready: { done: 0, of: 0 },
  }))
  for (const [personId, index] of Object.entries(breakouts.members)) {
    const group = groups[index]
    if (!group) continue
    const isHere = here.has(personId)
    group.members.push({ personId, name: breakouts.names[personId] ?? 'Anonymous', here: isHere })
    if (isHere) {
      group.ready.of++
      if (done.has(personId)) group.ready.done++
    }
  }
  for (const group of groups) group.members.sort((a, b) => a.name.localeCompare(b.name))
  const base = {
    source: breakouts.source,
    assign: breakouts.assign,
    startedAt: breakouts.startedAt,
    message: breakouts.message,
  }
  const full = groups.map((g) => ({ ...g, size: g.members.length }))
  const hidden = full.map((g) => ({ ...g, members: null, ready: null }))
  return {
    facilitator: { ...base, groups: full, mine: null },
    member: full.map((own, i) => ({
      ...base,
      groups: hidden.map((other, j) => (j === i ? own : other)),
      mine: i,
    })),
    outsider: { ...base, groups: hidden, mine: null },
  }
}

/** Breakouts as one session sees them (`personId` null: a nameless session). */
export function breakoutView(
  views: BreakoutViews | null,
  state: FacilitationState,
  who: { personId: string | null; facilitator: boolean },
): BreakoutView | null {
  if (!views) return null
  const group = groupOf(state, who.personId)
  if (who.facilitator)
    return group === undefined ? views.facilitator : { ...views.facilitator, mine: group }
  return group === undefined ? views.outsider : (views.member[group] ?? views.outsider)
}

/** Everyone assigned, each to their group's copy. */
function summons(breakouts: BreakoutState): { personId: string; focus: string }[] {
  return Object.entries(breakouts.members).flatMap(([personId, group]) => {
    const frame = breakouts.groups[group]?.frameId
    return frame ? [{ personId, focus: frame }] : []
  })
}

/** Fisher–Yates with the given source of randomness; a copy, the input stays as it was. */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** A name as a group keeps it: at most `maxMemberNameLength` characters, never empty. */
function memberName(name: string | undefined): string {
  return name?.trim().slice(0, BIG_ROOM_LIMITS.maxMemberNameLength) || 'Anonymous'
}

function refused(reason: string): Outcome {
  return { kind: 'refused', reason }
}
