// ESLint rule `boundaries/allowed-imports`: every folder of the project says what it MAY import
// (eslint.config.js, `boundaries`); anything else is refused, and a file in a folder that has no
// entry fails lint, so a new folder must state its place before it can be used.
import { builtinModules } from 'node:module'
import path from 'node:path'

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname))
const builtins = new Set(builtinModules)

/** The boundary folder a repository path belongs to: the longest key that is a prefix of it. */
function folderOf(rel, keys) {
  let best
  for (const k of keys) {
    const inside = k === '.' ? !rel.includes('/') : rel === k || rel.startsWith(k + '/')
    if (inside && (best === undefined || k.length > best.length)) best = k
  }
  return best
}

/** What an import specifier names: a project folder, 'node:*' or a package name. */
function targetOf(spec, fromFile, keys) {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const rel = path
      .relative(ROOT, path.resolve(path.dirname(fromFile), spec))
      .split(path.sep)
      .join('/')
    return { kind: 'folder', name: folderOf(rel, keys) ?? rel.split('/')[0] }
  }
  const bare = spec.split('?')[0]
  if (bare.startsWith('node:') || builtins.has(bare.split('/')[0]))
    return { kind: 'package', name: 'node:*' }
  const parts = bare.split('/')
  return { kind: 'package', name: bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] }
}

export const boundaries = {
  rules: {
    'allowed-imports': {
      meta: {
        type: 'problem',
        docs: { description: 'Each folder imports only what eslint.config.js allows it.' },
        schema: [{ type: 'object', additionalProperties: true }],
      },
      create(context) {
        const table = context.options[0] ?? {}
        const keys = Object.keys(table)
        const file = context.filename
        const rel = path.relative(ROOT, file).split(path.sep).join('/')
        const own = folderOf(rel, keys)
        const check = (node, spec) => {
          if (typeof spec !== 'string' || own === undefined) return
          const t = targetOf(spec, file, keys)
          if (t.kind === 'folder' && t.name === own) return
          const allowed = table[own]
          const list = t.kind === 'folder' ? allowed.folders : allowed.packages
          if (list?.includes(t.name)) return
          context.report({
            node,
            message: `${own} may not import ${t.kind === 'folder' ? t.name : `'${t.name}'`} (${spec}). Allowed: ${[...(allowed.folders ?? []), ...(allowed.packages ?? []).map((p) => `'${p}'`)].join(', ') || 'nothing'} — see eslint.config.js.`,
          })
        }
        return {
          Program(node) {
            if (own === undefined) {
              context.report({
                node,
                message: `${rel} is in a folder with no import rules: add its folder to the boundaries table in eslint.config.js.`,
              })
            }
          },
          ImportDeclaration: (n) => check(n.source, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
          ExportAllDeclaration: (n) => check(n.source, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
          TSImportType: (n) => {
            // typescript-eslint 8.x names it `source` (a Literal); older versions `argument`.
            const arg = 'source' in n && n.source ? n.source : n.argument
            const lit = arg?.type === 'TSLiteralType' ? arg.literal : arg
            if (lit?.type === 'Literal') check(n, lit.value)
          },
          TSExternalModuleReference: (n) =>
            n.expression.type === 'Literal' && check(n, n.expression.value),
        }
      },
    },
  },
}
