import path from 'node:path'
import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'

/**
 * Imports run one way: the app (pages) over the features, the features over the canvas, the
 * canvas over the board model, and everything over the shared helpers and the protocol. A
 * folder may import itself and what is listed here, nothing above it; features do not import
 * each other, except that snapshots are drawn with the export feature's images.
 */
const MAY_IMPORT = {
  app: [
    'snapshots',
    'export',
    'facilitation',
    'outcomes',
    'templates',
    'arrange',
    'breakouts',
    'presenting',
    'hands',
    'canvas',
    'board',
    'shared',
    'protocol',
  ],
  snapshots: ['export', 'canvas', 'board', 'shared', 'protocol'],
  export: ['canvas', 'board', 'shared', 'protocol'],
  facilitation: ['canvas', 'board', 'shared', 'protocol'],
  outcomes: ['canvas', 'board', 'shared', 'protocol'],
  arrange: ['canvas', 'board', 'shared', 'protocol'],
  // Big rooms (issue 20): each over the workshop it rides on.
  breakouts: ['facilitation', 'templates', 'canvas', 'board', 'shared', 'protocol'],
  presenting: ['facilitation', 'canvas', 'board', 'shared', 'protocol'],
  hands: ['facilitation', 'canvas', 'board', 'shared', 'protocol'],
  templates: ['canvas', 'board', 'shared', 'protocol'],
  canvas: ['board', 'shared', 'protocol'],
  board: ['shared', 'protocol'],
  shared: ['protocol'],
  protocol: [],
  ...serverLayers({
    // The board's room over its features, the features over the rules and limits, and all of
    // them over core (storage, tldraw's internals, the checked client message).
    room: [
      'private-brainstorm',
      'snapshots',
      'library',
      'workshop',
      'presence',
      'voting',
      'limits',
      'rules',
      'http',
      'core',
    ],
    'private-brainstorm': ['workshop', 'rules', 'limits', 'core'],
    snapshots: ['rules', 'http', 'core'],
    library: ['rules', 'http', 'core'],
    workshop: ['presence', 'voting', 'rules', 'core'],
    presence: ['core'],
    voting: ['core'],
    limits: ['core'],
    rules: ['core'],
    http: ['core'],
    core: [],
  }),
  cli: ['export', 'shared', 'protocol'],
}

/**
 * src/server's folders, each a layer `server/<folder>` that may import the folders listed for it;
 * the server renders templates into new boards but never reaches the browser's code, and the
 * party adapters sit over all of it.
 */
function serverLayers(folders) {
  const below = ['templates', 'board', 'shared', 'protocol']
  const layers = Object.fromEntries(
    Object.entries(folders).map(([name, may]) => [
      `server/${name}`,
      [...may.map((folder) => `server/${folder}`), ...below],
    ]),
  )
  return { ...layers, party: [...Object.keys(layers), ...below] }
}
const SRC = path.resolve('src')
const PARTY = path.resolve('party')

/** The layer a file belongs to: its folder under src/ (files right in src/ are the app's). */
function layerOf(file) {
  if (!path.relative(PARTY, file).startsWith('..')) return 'party'
  const parts = path.relative(SRC, file).split(path.sep)
  if (parts[0] === '..') return null
  // `../protocol` names a folder; `main.ts` and `App.svelte` sit right in src/.
  if (parts.length === 1 && parts[0].includes('.')) return 'app'
  // A server folder is a layer of its own (`../core` from a server file names one).
  return parts[0] === 'server' && parts.length > 1 ? `server/${parts[1]}` : parts[0]
}

const layers = {
  meta: {
    type: 'problem',
    messages: {
      upward:
        '{{from}}/ may not import {{to}}/: imports run app → features → canvas → board → shared → protocol, and in src/server room → features → rules and limits → core (README, Architecture).',
    },
  },
  create(context) {
    const from = layerOf(context.filename)
    if (!from || !MAY_IMPORT[from]) return {}
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return
      const to = layerOf(path.resolve(path.dirname(context.filename), source))
      if (!to || to === from || MAY_IMPORT[from].includes(to)) return
      context.report({ node, messageId: 'upward', data: { from, to } })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    }
  },
}

export default ts.config(
  { ignores: ['dist/', '.data/', '.partykit/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { switchback: { rules: { layers } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'switchback/layers': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // React and tldraw's runtime stay in src/canvas (and its lazily loaded chunk); features
    // work with tldraw's types and the canvas handle.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/canvas/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['tldraw', '@tldraw/tldraw', '@tldraw/sync', 'react', 'react-dom'].map((name) => ({
            name,
            allowTypeImports: true,
            message:
              'Only src/canvas uses React and tldraw at run time; import types, or use the canvas handle.',
          })),
          patterns: [
            {
              group: ['react-dom/*', 'tldraw/*', '@tldraw/assets/*'],
              message: 'Only src/canvas uses React and tldraw at run time.',
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures must destructure their (possibly empty) dependencies.
    files: ['test/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
)
