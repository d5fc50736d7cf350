/**
 * Who may import whom (../shared/ARCHITECTURE.md, docs/architecture.md), checked by `npm run lint:deps` in CI.
 * A wrong-way import fails the build; so does any cycle.
 */
// admin/ holds the mechanism office's services (bindings, trips, letters, export, the ledger sent in chat).
const FEATURES = '^src/(report|status|ledger|admin)/';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles anywhere.', from: {}, to: { circular: true } },
    {
      name: 'schema-only-in-store',
      severity: 'error',
      comment: 'The store owns data access: only src/store/ reads db/schema (tests, seed, migrations and benches may).',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: '^db/schema' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds rules only: no I/O, no store, no prompts, no platform, no other layer of ours.',
      from: { path: '^src/domain/' },
      to: {
        // (^|/): a git worktree whose node_modules is a link to another checkout resolves to ../…/node_modules
        pathNot: ['^src/domain/', '(^|/)node_modules/(chinese-days|zod)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-no-prompts-types',
      severity: 'error',
      comment: 'domain/ returns codes; prompts/ words them. Not even a type from prompts/.',
      from: { path: '^src/domain/' },
      to: { path: '^(prompts/|src/(?!domain/))' },
    },
    {
      name: 'store-knows-no-conversation',
      severity: 'error',
      comment: 'store/ knows no conversation, no feature, no platform and no words.',
      from: { path: '^src/store/' },
      to: { path: ['^src/(bot|jobs|report|status|ledger|admin|lark|emulator|cli)/', '^prompts/', '^src/(runtime|main|worker|app)\\.ts$'] },
    },
    {
      name: 'features-not-bot-or-jobs',
      severity: 'error',
      comment: 'Features use domain, store, prompts and the card builders; never bot/ or jobs/.',
      from: { path: FEATURES },
      to: { path: ['^src/(bot|jobs|cli)/', '^src/(runtime|main|worker)\\.ts$'] },
    },
    {
      name: 'jobs-not-bot',
      severity: 'error',
      comment: 'Jobs call features, never the conversation layer.',
      from: { path: '^src/jobs/' },
      to: { path: ['^src/bot/', '^src/cli/', '^src/(runtime|main|worker)\\.ts$'] },
    },
    {
      name: 'lark-not-above',
      severity: 'error',
      comment: 'lark/ reaches the bot only through the dispatcher that the entries wire in.',
      from: { path: '^src/lark/' },
      to: { path: ['^src/(bot|jobs|report|status|ledger|admin|cli)/', '^src/(runtime|main|worker)\\.ts$'] },
    },
    {
      name: 'emulator-speaks-only-lark',
      severity: 'error',
      comment:
        'The emulator speaks only Lark’s protocol and keeps its own state: none of our layers, data or words. ' +
        'Lark’s webhook crypto is a protocol detail it keeps its own copy of (src/emulator/lark-crypto.ts); ' +
        'the demo directory is handed in by the entries (db/seed/directory.ts). Lark’s card rules ' +
        '(src/lark/card-rules.ts, pure) are the platform’s own constraints, so the emulator refuses cards as Lark does.',
      from: { path: '^src/emulator/' },
      to: { path: ['^src/(?!emulator/|log\\.ts$|lark/card-rules\\.ts$)', '^db/', '^prompts/'] },
    },
    {
      name: 'bot-not-jobs',
      severity: 'error',
      comment: 'The conversation layer calls features; scheduled work is not its business.',
      from: { path: '^src/bot/' },
      to: { path: ['^src/(jobs|cli)/', '^src/(runtime|main|worker)\\.ts$'] },
    },
    {
      name: 'prometheus-node-only',
      severity: 'error',
      comment:
        'prom-client is Node-only and the Workers entry must not bundle it: only src/ops/prometheus.ts imports it, ' +
        'and only the Node entry (main.ts) imports that; everything else counts through src/ops/metrics.ts.',
      from: { path: '^src/', pathNot: ['^src/ops/prometheus\\.ts$', '^src/main\\.ts$'] },
      to: { path: ['(^|/)node_modules/prom-client/', '^src/ops/prometheus\\.ts$'] },
    },
    {
      name: 'prompts-are-words',
      severity: 'error',
      comment: 'prompts/ holds texts only.',
      from: { path: '^prompts/' },
      to: { path: '^(src|db)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
    },
    exclude: { path: ['^node_modules', '^data/', '^dist/'] },
  },
};
