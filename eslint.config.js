import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['dist', 'node_modules', 'models', 'test-results', 'playwright-report', '.gpu', '.gl'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering: core and model are pure and never import from the layers above them.
    files: ['src/core/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runtime/**', '**/train/**', '**/state/**', '**/ui/**'],
              message: 'core/model must not import upward',
            },
            {
              group: ['react', 'react-dom', 'onnxruntime-web', 'onnxruntime-web/*', 'zustand'],
              message: 'core/model stay pure TypeScript',
            },
          ],
        },
      ],
    },
  },
);
