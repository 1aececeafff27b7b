// Module boundaries of ../shared/ARCHITECTURE.md, checked on every `npm test`.
// Dependencies point one way: edges (cli, http) → use cases (hub, customs, privacy) → gate → vault/ledger → store/domain.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'ledger-is-standalone',
      comment: 'The ledger could be published as its own package: it imports nothing of the project.',
      severity: 'error',
      from: { path: '^src/ledger/' },
      to: { path: '^src/', pathNot: '^src/ledger/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure types and rules; it depends on nothing else of the project.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'only-gate-opens-the-vault',
      comment: 'Rule 1: no path reads personal data except through the gate.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(gate|vault)/' },
      to: { path: '^src/vault/' },
    },
    {
      name: 'only-gate-reads-personal-data-tables',
      comment: 'Rule 1: the personal-data repository of the store is the gate\'s alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(gate|vault|store)/' },
      to: { path: '^src/store/personal' },
    },
    {
      name: 'store-knows-no-business',
      comment: 'store/ knows tables and dialects, not rules: it may implement the ledger\'s storage interface only.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(store|ledger|domain)/' },
    },
    {
      name: 'core-knows-no-edges',
      comment: 'Use cases and core never import HTTP or CLI code.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|http)/' },
      to: { path: '^src/(cli|http)/' },
    },
    {
      name: 'gate-knows-no-logistics',
      severity: 'error',
      from: { path: '^src/(gate|vault|ledger|store)/' },
      to: { path: '^src/(hub|customs|privacy)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
