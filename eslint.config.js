// ESLint: typescript-eslint's recommended rules over the project's TypeScript. Formatting is Prettier's;
// import boundaries are dependency-cruiser's (.dependency-cruiser.cjs), both run by `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'db/migrations/', 'bench/results/', 'test-output/', '.wrangler/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `let app; serve(() => app…); app = …` is the start-up order on purpose: the server exists before the app.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // One seam for replies: handlers and jobs return (or enqueue) their messages; only the router, the job
    // runner and the entries that build the dependencies wake the outbox sender.
    files: ['src/**/*.ts'],
    ignores: ['src/bot/router.ts', 'src/jobs/runner.ts', 'src/runtime.ts', 'src/worker.ts', 'src/context.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='notifyOutbox']",
          message: 'Return the replies (Replies / ActionResult / a job result) instead: the router and the job runner wake the sender.',
        },
      ],
    },
  },
  {
    // User text is data: markup is made only by the template renderer and the card builders (mentions from ids),
    // so a plain string can never be passed off as markup (src/domain/markup.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/text.ts', 'src/lark/cards.ts', 'src/domain/markup.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/markup.js', '**/text.js'],
              importNames: ['trustedMarkup'],
              message: 'Markup is made by t()/tm(), joinMarkup and the card builders (mention), never from a string.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // The emulator console: plain browser modules served as they are (no build step).
    files: ['src/emulator/console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly',
        document: 'readonly',
        localStorage: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
      },
    },
  },
  {
    // Tests poke at Lark payloads of any shape; `any` there is the payload's honest type.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
