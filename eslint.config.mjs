// Lint rules: typescript-eslint's type-checked set, plus the two workflow rules from STYLE.md:
// no Node built-ins or I/O in workflows/ (determinism), and no floating promises anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  // test/support/pdf-page.mjs: pdf.js is ES-module only, so the PDF reader runs as plain Node outside the TS project.
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.data/**', 'coverage/**', '*.js', '*.mjs', 'test/support/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
            ...['pg', 'axios', 'undici', 'express'].map((name) => ({ name, message: 'Workflows do no I/O: use an activity.' })),
          ],
          patterns: [{ group: ['@mikro-orm/*', '../activities/*', '../src/db/*', '../src/partners/*'], message: 'Workflows do no I/O: import activity types only.', allowTypeImports: true }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use workflow time (Date inside workflows is deterministic) or an activity.' },
        { object: 'Math', property: 'random', message: 'Workflows are deterministic: no randomness.' },
      ],
    },
  },
);
