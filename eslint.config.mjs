// Lint rules for the whole workspace; module boundaries keep apps from importing each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const LIBS_BY_NAME = { group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'Import libs by their package name (@legwork/...).' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [LIBS_BY_NAME] }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
          ],
        },
      ],
    },
  },
  {
    // the gateway originates through @legwork/originate-client; the SIP engine runs on media nodes only
    files: ['apps/api-gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: '@legwork/originate', message: 'The gateway never imports the SIP engine: use @legwork/originate-client (or @legwork/directory for caller-id rules).' }],
        patterns: [LIBS_BY_NAME, { group: ['@legwork/originate/*'], message: 'The gateway never imports the SIP engine or its test helpers.' }],
      }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
