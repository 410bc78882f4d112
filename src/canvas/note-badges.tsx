/**
 * Marks drawn on stickies that are not part of the board's records: a vote's result count,
 * this person's own dots while a vote runs, and "only you" on a hidden sticky during a private
 * brainstorm. Features set them through the canvas handle (`setNoteBadges`); tldraw's note is
 * drawn as usual with the marks on top, on screen and in image exports alike (`toSvg`), so
 * an exported board shows the counts without anything written to the board.
 *
 * A sticky's action or decision mark and its stack's count ("×5") are drawn here too, from the
 * board itself (`note-outcomes.ts`): on screen as the very SVG parts the exports draw
 * (`noteBadgeParts` in export-marks.ts), so the three pictures of a badge cannot disagree.
 */
import {
  DefaultFontFaces,
  NoteShapeUtil,
  atom,
  type Editor,
  getDisplayValues,
  useValue,
  type SvgExportContext,
  type TLNoteShape,
} from 'tldraw'
import type { ReactNode } from 'react'
import { NOTE_SIZE } from '../board/geometry'
import { noteAuthor, noteStack } from '../board/shape-meta'
import { rawOutcomeMark } from '../board/outcome-marks'
import { noteGeometry } from './note-geometry'
import { holdLabelsForFirstFrame, useNoteLabelState } from './note-label'
import { PlainNote } from './note-plain'
import { exportMarks, noteBadgeParts } from './export-marks'
import { MarksSvg } from './export-marks-svg'
import { noteOutcomeOf, type NoteOutcome } from './note-outcomes'

export interface NoteBadges {
  /** The count shown on each sticky, by id (the vote result on show). */
  results: Readonly<Record<string, number>>
  /** This person's own dots on each sticky, by id, while a vote runs. */
  mine: Readonly<Record<string, number>>
  /** This person's hidden stickies (a private brainstorm), by id. */
  hidden: Readonly<Record<string, true>>
  /** While a vote runs, the stickies in it: the others are dimmed. Null: none dimmed. */
  inVote: Readonly<Record<string, true>> | null
}

export const NO_BADGES: NoteBadges = { results: {}, mine: {}, hidden: {}, inVote: null }

export type NoteBadgesAtom = ReturnType<typeof atom<NoteBadges>>

export function createNoteBadges(): NoteBadgesAtom {
  return atom<NoteBadges>('note badges', NO_BADGES)
}

interface BadgesOf {
  result: number | null
  mine: number
  hidden: boolean
  dimmed: boolean
}

function badgesOf(badges: NoteBadges, id: string): BadgesOf {
  return {
    result: badges.results[id] ?? null,
    mine: badges.mine[id] ?? 0,
    hidden: badges.hidden[id] === true,
    dimmed: badges.inVote !== null && badges.inVote[id] !== true,
  }
}

const RESULT_RADIUS = 22

/** tldraw's note, with the badges of `badges` drawn over it. */
export function noteUtilWithBadges(badges: NoteBadgesAtom) {
  return class NoteWithBadgesUtil extends NoteShapeUtil {
    constructor(editor: Editor) {
      super(editor)
      holdLabelsForFirstFrame(editor)
    }

    // The stored size at once, the label measured only when asked for (note-geometry.ts).
    override getGeometry(shape: TLNoteShape) {
      const { noteWidth, noteHeight } = getDisplayValues(this, shape)
      const { scale, growY } = shape.props
      return noteGeometry(noteWidth * scale, (noteHeight + growY) * scale, () =>
        super.getGeometry(shape),
      )
    }

    override component(shape: TLNoteShape) {
      const of = useValue('note badges', () => JSON.stringify(badgesOf(badges.get(), shape.id)), [
        shape.id,
      ])
      const marks = JSON.parse(of) as BadgesOf
      const author = noteAuthor(shape)
      // tldraw's note with its text only on screen at a readable zoom (note-label.ts).
      const label = useNoteLabelState(this.editor, shape)
      return (
        <>
          {label === 'shown' ? (
            <TldrawNote util={this} shape={shape} />
          ) : (
            <PlainNote util={this} shape={shape} state={label} />
          )}
          <BadgeLayer marks={marks} scale={shape.props.scale} />
          <OutcomeBadges editor={this.editor} id={shape.id} scale={shape.props.scale} />
          {author && (
            <AuthorLabel author={author} scale={shape.props.scale} growY={shape.props.growY} />
          )}
        </>
      )
    }

    // The badges' bold face, so exports embed it and the canvas picture loads it. Read from
    // the sticky's own meta only: tldraw asks inside the geometry cache, and the board's
    // outcomes read geometry. A zone-declared badge's face comes with its zone (a zone embeds
    // the same face for its count).
    override getFontFaces(shape: TLNoteShape) {
      const faces = super.getFontFaces(shape)
      return rawOutcomeMark(shape) !== undefined || noteStack(shape) !== null
        ? [...faces, DefaultFontFaces.tldraw_sans.normal.bold]
        : faces
    }

    /** tldraw's own note, for `TldrawNote` (its hooks are that component's). */
    tldrawComponent(shape: TLNoteShape) {
      return super.component(shape)
    }

    override toSvg(shape: TLNoteShape, ctx: SvgExportContext) {
      const marks = badgesOf(badges.get(), shape.id)
      const author = noteAuthor(shape)
      return (
        <>
          {super.toSvg(shape, ctx)}
          {marks.result !== null && <ResultSvg count={marks.result} />}
          <MarksSvg parts={exportMarks(this.editor, shape)} />
          {author && (
            <text
              x={10}
              y={NOTE_SIZE + shape.props.growY - 10}
              fill="rgba(0, 0, 0, 0.6)"
              fontSize={12}
              fontFamily="system-ui, sans-serif"
            >
              {author}
            </text>
          )}
        </>
      )
    }
  }
}

/** tldraw's note component as a component of its own, so it mounts only where it is drawn. */
function TldrawNote({
  util,
  shape,
}: {
  util: { tldrawComponent(shape: TLNoteShape): ReactNode }
  shape: TLNoteShape
}) {
  return util.tldrawComponent(shape)
}

/** The marks on screen: HTML over the note, in its own coordinates. */
function BadgeLayer({ marks, scale }: { marks: BadgesOf; scale: number }) {
  if (marks.result === null && marks.mine === 0 && !marks.hidden && !marks.dimmed) return null
  const size = NOTE_SIZE * scale
  return (
    <div
      className="sb-note-badges"
      data-voted={marks.mine > 0 || undefined}
      data-dimmed={marks.dimmed || undefined}
      style={{ width: size, height: size }}
      aria-hidden="true"
    >
      {marks.result !== null && (
        <span className="sb-note-result" data-testid="vote-count" style={{ scale: String(scale) }}>
          {marks.result}
        </span>
      )}
      {marks.mine > 0 && (
        <span className="sb-note-mine" data-testid="my-dots" style={{ scale: String(scale) }}>
          {Array.from({ length: Math.min(marks.mine, 5) }, (_, i) => (
            <span key={i} className="sb-note-dot" />
          ))}
          {marks.mine > 5 && <span className="sb-note-dot-more">{marks.mine}</span>}
        </span>
      )}
      {marks.hidden && (
        <span
          className="sb-note-hidden"
          data-testid="hidden-badge"
          style={{ scale: String(scale) }}
        >
          Only you
        </span>
      )}
    </div>
  )
}

/**
 * The sticky's action or decision badge and its stack's count, top left: the export's parts
 * as SVG over the note, scaled with it.
 */
function OutcomeBadges({ editor, id, scale }: { editor: Editor; id: string; scale: number }) {
  const key = useValue('note outcome', () => JSON.stringify(noteOutcomeOf(editor, id)), [
    editor,
    id,
  ])
  const of = JSON.parse(key) as NoteOutcome | null
  if (!of) return null
  const size = NOTE_SIZE * scale
  return (
    <svg
      className="sb-note-outcomes"
      data-testid="note-outcome"
      data-outcome={of.outcome?.kind}
      data-own={of.outcome ? of.own : undefined}
      data-stack={of.stack || undefined}
      width={size}
      height={size}
      viewBox={`0 0 ${NOTE_SIZE} ${NOTE_SIZE}`}
      aria-hidden="true"
    >
      <MarksSvg parts={noteBadgeParts(of)} />
    </svg>
  )
}

/** Who wrote a sticky revealed from a private brainstorm, small, bottom left. */
function AuthorLabel({ author, scale, growY }: { author: string; scale: number; growY: number }) {
  return (
    <div
      className="sb-note-badges"
      style={{ width: NOTE_SIZE * scale, height: (NOTE_SIZE + growY) * scale }}
    >
      <span className="sb-note-author" data-testid="note-author" style={{ scale: String(scale) }}>
        {author}
      </span>
    </div>
  )
}

/** A result count in an exported image: a dark disc with the number, top right. */
function ResultSvg({ count }: { count: number }) {
  const cx = NOTE_SIZE - RESULT_RADIUS - 6
  const cy = RESULT_RADIUS + 6
  return (
    <g data-vote-count={count}>
      <circle cx={cx} cy={cy} r={RESULT_RADIUS} fill="#1d1d1f" />
      <text
        x={cx}
        y={cy}
        fill="#ffffff"
        fontSize={20}
        fontWeight={700}
        fontFamily="system-ui, sans-serif"
        textAnchor="middle"
        dominantBaseline="central"
      >
        {count}
      </text>
    </g>
  )
}
