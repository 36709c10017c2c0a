// Lint rules: typescript-eslint's type-checked set; the workflow rules (no Node built-ins or I/O in
// workflows/: determinism); no floating promises anywhere; and the import directions of the layout:
// the product (src, workflows, activities) never imports the development tooling (tools/) or tests,
// activities never import workflow code, workflows import activities as types only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

const notTooling = [
  { group: ['**/tools/*', '**/tools/**'], message: 'The product never imports development tooling (tools/).' },
  { group: ['**/test/*', '**/test/**'], message: 'The product never imports tests.' },
];

export default tseslint.config(
  // tools/testing/pdf-page.mjs: pdf.js is ES-module only, so the PDF reader runs as plain Node outside the TS project.
  // tools/bench/load/*.mjs: the bench's load thread, plain Node outside the TypeScript loaders.
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.data/**',
      'coverage/**',
      '*.js',
      '*.mjs',
      'tools/testing/*.mjs',
      'tools/bench/load/*.mjs',
    ],
  },
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
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: notTooling }] },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...notTooling,
            { group: ['**/workflows/*', '**/workflows/**'], message: 'Activities never import workflow code.' },
          ],
        },
      ],
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
            ...['pg', 'axios', 'undici', 'express'].map((name) => ({
              name,
              message: 'Workflows do no I/O: use an activity.',
            })),
          ],
          patterns: [
            ...notTooling,
            {
              group: [
                '@mikro-orm/*',
                '**/activities',
                '**/activities/**',
                '**/src/db/**',
                '**/src/partners/**',
                '**/src/api/**',
              ],
              message: 'Workflows do no I/O: import activity types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Use workflow time (Date inside workflows is deterministic) or an activity.',
        },
        { object: 'Math', property: 'random', message: 'Workflows are deterministic: no randomness.' },
      ],
    },
  },
);
