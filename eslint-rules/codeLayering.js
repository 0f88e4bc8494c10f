// @ts-check
// The layer table of ARCHITECTURE.md §2 ("Who may import whom") as an ESLint rule, after VS Code's
// .eslint-plugin-local/code-layering.ts: one table, one row per folder, checked on every import, export-from,
// dynamic import() and require() with a literal specifier. Relative specifiers are resolved by path arithmetic
// against the repository root (no module resolver needed: `./x.js` naming `x.ts` is still inside the same folder).
import path from 'node:path';
import { isBuiltin } from 'node:module';

/** Test frameworks: only test code may import them. */
const TEST_FRAMEWORKS = ['vitest', '@vitest/', '@playwright/test', 'playwright', '@axe-core/playwright'];

/** Packages that do I/O (files, processes, sockets, databases, model runtimes): kept out of the pure DSP stages. */
const IO_PACKAGES = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'dgram',
  'worker_threads',
  'better-sqlite3',
  'lmdb',
  'onnxruntime-node',
  'hnswlib-node',
  'chokidar',
  'music-metadata',
  'ffmpeg-static',
];

const CONTRACT = 'src-preload/contract/';

/**
 * @typedef {object} Layer
 * @property {string} files     repository-relative path prefix of the files this row governs (first match wins)
 * @property {string} name      how the message names the layer
 * @property {string[]} [onlyFolders]      relative imports must land inside one of these prefixes
 * @property {string[]} [forbidFolders]    relative imports must not land inside any of these prefixes
 * @property {boolean} [noPackages]        no bare specifier at all (packages, builtins, electron)
 * @property {boolean} [noNodeBuiltins]    no `node:*` nor bare builtin names
 * @property {string[]} [forbidPackages]   package names (a trailing `/` matches a scope or subpath prefix)
 */

/** @type {readonly Layer[]} ARCHITECTURE.md §2, most specific rows first. */
export const LAYERS = [
  { files: CONTRACT, name: 'src-preload/contract', noPackages: true, onlyFolders: [CONTRACT] },
  {
    files: 'src-preload/',
    name: 'src-preload',
    noNodeBuiltins: true,
    onlyFolders: ['src-preload/'],
  },
  {
    files: 'src-renderer/',
    name: 'src-renderer',
    noNodeBuiltins: true,
    forbidPackages: ['electron', 'electron/'],
    onlyFolders: ['src-renderer/', CONTRACT],
  },
  {
    files: 'src-main/engine/fingerprint/',
    name: 'src-main/engine/fingerprint (pure DSP, no I/O)',
    forbidPackages: ['electron', 'electron/', ...IO_PACKAGES],
    onlyFolders: ['src-main/engine/fingerprint/', CONTRACT],
  },
  {
    files: 'src-main/engine/',
    name: 'src-main/engine',
    forbidPackages: ['electron', 'electron/'],
    onlyFolders: ['src-main/engine/', CONTRACT],
  },
  {
    files: 'src-main/workers/',
    name: 'src-main/workers',
    forbidPackages: ['electron', 'electron/'],
    onlyFolders: ['src-main/workers/', 'src-main/engine/', CONTRACT],
  },
  // app/ is the Electron glue ipc/ builds on (origins, dialogs); the other direction would make a circle.
  { files: 'src-main/app/', name: 'src-main/app', onlyFolders: ['src-main/', CONTRACT], forbidFolders: ['src-main/ipc/'] },
  // main.ts, ipc/, host/: all of src-main and the contract, never the renderer or the preload script.
  { files: 'src-main/', name: 'src-main', onlyFolders: ['src-main/', CONTRACT] },
];

/** Test code: `*.test.ts(x)`, `*.spec.ts`, anything in a `testing/` folder, and e2e/. */
export function isTestFile(/** @type {string} */ relPath) {
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(relPath) || /(^|\/)testing\//.test(relPath) || relPath.startsWith('e2e/');
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; `node:` prefixes dropped. */
function packageName(/** @type {string} */ specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function matchesPackage(/** @type {string} */ specifier, /** @type {readonly string[]} */ names) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return names.some((name) => (name.endsWith('/') ? bare.startsWith(name) : bare === name || packageName(bare) === name));
}

const under = (/** @type {string} */ target, /** @type {readonly string[]} */ prefixes) => prefixes.some((p) => target.startsWith(p));

/**
 * Why `specifier`, imported from the file at `relPath` (repository-relative, `/`-separated), breaks the table; null when
 * it is allowed. Exported so the table can be tested without ESLint.
 */
export function layeringViolation(/** @type {string} */ relPath, /** @type {string} */ specifier) {
  const layer = LAYERS.find((l) => relPath.startsWith(l.files));
  // Tests may reach across layers to build fixtures; they never ship and do not run in the layer's runtime.
  if (!layer || isTestFile(relPath)) return null;
  if (matchesPackage(specifier, TEST_FRAMEWORKS)) {
    return `only test code (*.test.ts, *.spec.ts, testing/ folders) may import the test framework '${specifier}'`;
  }
  const isRelative = specifier.startsWith('./') || specifier.startsWith('../');
  if (isRelative) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(relPath), specifier));
    if (layer.forbidFolders && under(target, layer.forbidFolders)) return `${layer.name} may not import ${target}`;
    if (layer.onlyFolders && !under(target, layer.onlyFolders)) {
      return `${layer.name} may import only from ${layer.onlyFolders.join(', ')}; not ${target}`;
    }
    return null;
  }
  if (specifier.startsWith('/')) return `${layer.name} imports by absolute path: ${specifier}`;
  if (layer.noPackages) return `${layer.name} imports nothing with a runtime; not '${specifier}'`;
  if (layer.noNodeBuiltins && (specifier.startsWith('node:') || isBuiltin(specifier))) {
    return `${layer.name} may not import the Node built-in '${specifier}'`;
  }
  if (layer.forbidPackages && matchesPackage(specifier, layer.forbidPackages)) {
    return `${layer.name} may not import '${specifier}'`;
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const codeLayeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table of ARCHITECTURE.md §2 (who may import whom).' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { layering: '{{why}} (ARCHITECTURE.md §2).' },
  },
  create(context) {
    const options = /** @type {{ root?: string } | undefined} */ (context.options[0]);
    const root = options?.root ?? context.cwd;
    const relPath = path.relative(root, context.filename).split(path.sep).join('/');
    if (relPath.startsWith('..')) return {};

    /** @param {import('estree').Node | null | undefined} source */
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const why = layeringViolation(relPath, source.value);
      if (why) context.report({ node: source, messageId: 'layering', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(/** @type {any} */ (node.arguments[0]));
      },
      /** `import x = require('y')` (TypeScript). */
      TSExternalModuleReference: (/** @type {any} */ node) => check(node.expression),
      /** `typeof import('y')` in a type position (TypeScript). */
      TSImportType: (/** @type {any} */ node) => check(node.source),
    };
  },
};

/** The local plugin: `layering/code-layering`. */
export default { meta: { name: 'audio-ident-layering' }, rules: { 'code-layering': codeLayeringRule } };
