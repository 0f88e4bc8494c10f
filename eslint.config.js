// @ts-check
// ESLint for the whole repository (`npm run lint`): typescript-eslint with type information for TypeScript, React hook
// rules for the renderer, and the layer table of ARCHITECTURE.md §2 as the local rule `layering/code-layering`.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layering from './eslint-rules/codeLayering.js';

const root = import.meta.dirname;

export default defineConfig(
  globalIgnores(['out/', 'dist/', 'release/', 'bench-results/', 'test-results/', 'playwright-report/', '.data/', 'scratch-tmp/', 'resources/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (src-main, src-renderer, e2e, bench...); the few
        // TypeScript files no tsconfig includes get a default project.
        projectService: {
          allowDefaultProject: ['vitest.config.ts', 'vitest.setup.ts', 'vitest.globalSetup.ts', 'scripts/*.d.mts', 'src-renderer/public/*.d.ts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: root,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Async functions without await implement Promise-returning interfaces (fakes, stores, handlers); `async` also
      // turns a synchronous throw into a rejection, so dropping it would change behaviour.
      '@typescript-eslint/require-await': 'off',
      // Control characters in these regexes are the point: terminal, CSV and playlist output is scrubbed of them.
      'no-control-regex': 'off',
      // A `let` declared before the closure that reads it and assigned once after (a timer, a handle) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // reject() with a caught value passes it along like a rethrow; the same defaults as only-throw-error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read untyped wire data (JSON bodies, WebSocket messages, recorded fake calls) and check its shape with
    // expect(); typing every response would restate the contract in each test.
    files: ['**/*.test.{ts,tsx}', '**/*.spec.ts', '**/testing/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (scripts, bin, worklets, this config, the local rule) is linted without type information; tsc -b
    // type-checks the last two through eslint-rules/tsconfig.json.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src-main/**', 'src-preload/**', 'bench/**', 'e2e/**', 'scripts/**', 'bin/**', 'eslint-rules/**', '*.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // These three check what the React Compiler needs to memoize safely; the app does not use the compiler, and
      // what they flag (an ETA anchor kept in a ref, effects that reset state while syncing the audio element or the
      // scroll position) is correct React without it.
      'react-hooks/refs': 'off',
      'react-hooks/purity': 'off',
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Store actions are plain functions that components select and call unbound: property signatures say so, and
    // keep unbound-method honest.
    files: ['src-renderer/**/*Slice.ts'],
    rules: { '@typescript-eslint/method-signature-style': ['error', 'property'] },
  },
  {
    files: ['src-renderer/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.audioWorklet } },
  },
  {
    plugins: { layering },
    files: ['src-main/**', 'src-preload/**', 'src-renderer/**'],
    rules: { 'layering/code-layering': ['error', { root }] },
  },
);
