import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Workflow state is declared before the handlers that read it and assigned once the flow gets there.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Workflow code is replayed deterministically and bundled on its own: it may import only the workflow SDK,
    // Discord's payload types and enums and other workflow code (test/unit/workflow-determinism.test.ts says the same).
    // Types may come from anywhere: activities' signatures, the SDK's common types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Every new workflow evaluates what it imports: zod checks input where it arrives, not in workflows.
              regex: '^(?!@temporalio/workflow$|discord-api-types/payloads/v10$|\\.{1,2}/)',
              message: 'Workflows may import only @temporalio/workflow, discord-api-types/payloads/v10 and workflows/** (type imports are fine): do I/O in an activity, check input with zod where it arrives.',
              allowTypeImports: true,
            },
            {
              regex: '^(\\.\\./)+(activities|src|worker)/',
              message: 'Workflows may import only workflows/** (type imports are fine): do I/O in an activity.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox page's script runs in the browser.
    files: ['src/sandbox/web/assets/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
