/**
 * What sticky texts share, worked out on this machine: near-duplicates ("Too many meetings",
 * "too many meetings!") for Stack duplicates, and themes (clusters of shared terms, each with
 * a suggested name) for Group by theme. Pure and deterministic: the same texts in the same
 * order give the same stacks, groups and names, on every screen, with no network. Stemming
 * (Porter, `stemmer`) and English stop words (`stopword`) are the only libraries.
 */
import { stemmer } from 'stemmer'
import { eng } from 'stopword'

/** Stickies compared pairwise: past this many, the rest are left alone (a board's worth). */
export const MAX_TEXTS = 400

const STOP = new Set(eng.map((word) => word.toLowerCase()))

/** Lower case, accents and punctuation gone, one space between words. */
export function normalise(text: string): string {
  return keepCase(text).toLowerCase()
}

function keepCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A word of a text: as written (accents and punctuation gone), lower case, and its stem. */
export interface Term {
  form: string
  word: string
  stem: string
}

/** The words of a text (normalised), each with its stem. */
function words(text: string): Term[] {
  const normal = keepCase(text)
  if (!normal) return []
  return normal.split(' ').map((form) => {
    const word = form.toLowerCase()
    return { form, word, stem: stemmer(word) }
  })
}

/** The stems that carry meaning: no stop words, numbers or single letters. */
export function terms(text: string): Term[] {
  return words(text).filter(
    ({ word }) => word.length > 1 && !STOP.has(word) && !/^\p{N}+$/u.test(word),
  )
}

/** Edit distance (insertions, deletions, substitutions), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
      best = Math.min(best, row[j])
    }
    if (best > max) return max + 1
    previous = row
  }
  return previous[b.length]
}

/**
 * Whether two texts say the same: equal once normalised, or their stems (stop words kept, so
 * "too many" and "too few" differ) the same set, or a typo or two apart (an edit distance of
 * at most one in seven characters).
 */
export function nearlySame(a: string, b: string): boolean {
  const na = normalise(a)
  const nb = normalise(b)
  if (!na || !nb) return false
  if (na === nb) return true
  const sa = new Set(words(a).map((w) => w.stem))
  const sb = new Set(words(b).map((w) => w.stem))
  if (sa.size === sb.size && [...sa].every((s) => sb.has(s))) return true
  const max = Math.floor(Math.min(na.length, nb.length) / 7)
  return max > 0 && editDistance(na, nb, max) <= max
}

/**
 * The sets of near-duplicates among `texts` (indices, two or more each, each set in input
 * order, sets ordered by their first member). Nearly-same is taken transitively.
 */
export function duplicateSets(texts: readonly string[]): number[][] {
  const n = Math.min(texts.length, MAX_TEXTS)
  const parent = Array.from({ length: n }, (_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])))
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (find(i) !== find(j) && nearlySame(texts[i], texts[j])) {
        parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j))
      }
    }
  }
  const sets = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const root = find(i)
    sets.set(root, [...(sets.get(root) ?? []), i])
  }
  return [...sets.values()].filter((set) => set.length > 1)
}

export interface Theme {
  /** The suggested name: the group's most telling words, as people wrote them. */
  name: string
  /** Indices into the texts, in input order. */
  members: number[]
}

/** How alike two groups must be (average cosine of their TF-IDF vectors) to join. */
export const THEME_THRESHOLD = 0.12

/**
 * Themes among `texts`: TF-IDF vectors of their stems, joined by average-linkage
 * agglomerative clustering (the most alike pair first, ties by position) while groups are
 * alike enough. Groups of two or more come first, largest first; the stickies that share a
 * theme with none end in one "Other" group, last.
 */
export function themes(texts: readonly string[], threshold = THEME_THRESHOLD): Theme[] {
  const docs = texts.slice(0, MAX_TEXTS).map(terms)
  const vectors = tfidf(docs)
  const n = docs.length
  // Pairwise similarity, then clusters merged by average linkage.
  const sim = vectors.map((a) => vectors.map((b) => cosine(a, b)))
  let clusters = docs.map((_, i) => [i])
  const linkage = (a: number[], b: number[]) => {
    let sum = 0
    for (const i of a) for (const j of b) sum += sim[i][j]
    return sum / (a.length * b.length)
  }
  while (clusters.length > 1) {
    let best = { score: threshold, a: -1, b: -1 }
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const score = linkage(clusters[a], clusters[b])
        // Strictly better only: the first pair wins a tie, so the result is deterministic.
        if (score > best.score + 1e-12) best = { score, a, b }
      }
    }
    if (best.a < 0) break
    const merged = [...clusters[best.a], ...clusters[best.b]].sort((x, y) => x - y)
    clusters = clusters.filter((_, i) => i !== best.a && i !== best.b)
    clusters.push(merged)
    clusters.sort((x, y) => x[0] - y[0])
  }
  const groups = clusters
    .filter((c) => c.length > 1)
    .sort((a, b) => b.length - a.length || a[0] - b[0])
  const others = clusters
    .filter((c) => c.length === 1)
    .flat()
    .sort((a, b) => a - b)
  const used = new Set<string>()
  const named = groups.map((members) => ({ name: themeName(members, docs, used), members }))
  if (others.length > 0 || n === 0) named.push({ name: 'Other', members: others })
  return named.filter((theme) => theme.members.length > 0)
}

/**
 * A group's name from its most telling stems: those most of its stickies share, rarest on the
 * board first; shown as the word people wrote most often for that stem. Two words at most.
 */
export function themeName(
  members: readonly number[],
  docs: readonly Term[][],
  used = new Set<string>(),
): string {
  const boardDf = new Map<string, number>()
  for (const doc of docs)
    for (const stem of new Set(doc.map((t) => t.stem))) {
      boardDf.set(stem, (boardDf.get(stem) ?? 0) + 1)
    }
  const groupDf = new Map<string, number>()
  const surface = new Map<string, Map<string, number>>()
  for (const i of members) {
    for (const stem of new Set(docs[i].map((t) => t.stem))) {
      groupDf.set(stem, (groupDf.get(stem) ?? 0) + 1)
    }
    for (const { form, word, stem } of docs[i]) {
      // Acronyms keep their capitals ("CI", "OKRs": two capitals or more); other words are
      // shown in lower case.
      const shown = (form.match(/\p{Lu}/gu)?.length ?? 0) > 1 ? form : word
      const forms = surface.get(stem) ?? new Map<string, number>()
      forms.set(shown, (forms.get(shown) ?? 0) + 1)
      surface.set(stem, forms)
    }
  }
  const score = (stem: string) =>
    (groupDf.get(stem)! / members.length) * Math.log(1 + docs.length / boardDf.get(stem)!)
  const ranked = [...groupDf.keys()]
    .filter((stem) => groupDf.get(stem)! > 1 || members.length === 1)
    .sort((a, b) => score(b) - score(a) || (a < b ? -1 : a > b ? 1 : 0))
  const picked = ranked.slice(0, 2).map((stem) => {
    const forms = [...surface.get(stem)!.entries()]
    forms.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    return forms[0][0]
  })
  let name = picked.length > 0 ? picked.join(', ') : 'Theme'
  name = name[0].toUpperCase() + name.slice(1)
  // Two themes never share a name: the later one gets a number.
  let unique = name
  for (let k = 2; used.has(unique); k++) unique = `${name} ${k}`
  used.add(unique)
  return unique
}

type Vector = Map<string, number>

function tfidf(docs: readonly { stem: string }[][]): Vector[] {
  const df = new Map<string, number>()
  for (const doc of docs)
    for (const stem of new Set(doc.map((t) => t.stem))) {
      df.set(stem, (df.get(stem) ?? 0) + 1)
    }
  return docs.map((doc) => {
    const tf = new Map<string, number>()
    for (const { stem } of doc) tf.set(stem, (tf.get(stem) ?? 0) + 1)
    const vector: Vector = new Map()
    for (const [stem, count] of tf) {
      vector.set(stem, count * (Math.log((1 + docs.length) / (1 + df.get(stem)!)) + 1))
    }
    return vector
  })
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0
  for (const [k, v] of a) dot += v * (b.get(k) ?? 0)
  if (dot === 0) return 0
  const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0))
  return dot / (norm(a) * norm(b))
}
