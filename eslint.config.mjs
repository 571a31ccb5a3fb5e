// Lint, including the import boundaries of the design: the protocol imports nothing of ours,
// the daemon never imports vscode, the webview only imports the protocol, and each daemon layer
// and the extension import only what scripts/eslint-boundaries.mjs allows them.
import tseslint from 'typescript-eslint';
import { boundaries } from './scripts/eslint-boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.venv/**', 'docker/**', 'test/fixtures/jsonl/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['daemon/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only extension/ may import vscode' }] }] },
  },
  {
    files: ['daemon/**/*.ts', 'extension/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/imports': 'error' },
  },
  {
    files: ['daemon/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'vscode', '../*', 'vscode-jsonrpc/node'], message: 'the protocol imports nothing of ours and no node or vscode modules' }] },
      ],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'vscode', 'vscode-jsonrpc/node'], message: 'the webview runs in a browser' },
            { regex: '^(?:\\.\\./)+(?!\\.\\./|daemon/protocol)', message: 'the webview imports only daemon/protocol' },
          ],
        },
      ],
    },
  },
);
