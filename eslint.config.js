import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'index/', 'models/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Core code must not know about Discord: dependencies point one way.
    files: ['src/library/**', 'src/extract/**', 'src/embed/**', 'src/store/**', 'src/search/**', 'src/ingest/**', 'src/eval/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['discord.js', '*/discord/*', '../discord/*'] }],
    },
  },
);
