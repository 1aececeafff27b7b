import type { Command } from 'commander';
import {
  addPrincipal,
  issueToken,
  listPrincipals,
  expiryAfter,
  parsePrincipalInput,
  revokePrincipal,
  ROLES,
  type IssuedToken,
  type Principal,
} from '../../auth/index.js';
import { ParseError } from '../../domain/index.js';
import type { TransparencyLog } from '../../ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import { checkedLogKeyFile, openCheckedStore, type DbOptions, type DbUse } from '../options.js';

interface AddOptions extends DbOptions {
  readonly name: string;
  readonly role: string;
  readonly org: string;
  readonly country: string;
  readonly expires?: string;
}
interface TokenOptions extends DbOptions {
  readonly expires?: string;
}
interface ListOptions extends DbOptions {
  readonly json?: boolean;
}

const FLAG: Record<string, string> = { name: '--name', role: '--role', organisation: '--org', country: '--country' };
const ONCE = 'glasshub: the token is shown this once; glasshub keeps only its hash. Store it now.\n';

export function registerPrincipals(program: Command): void {
  const principals = program
    .command('principals')
    .description('Who may call the API: principals (a role, an organisation, a country) and their tokens');
  const dbOptions = (c: Command): Command =>
    c
      .option('--db <path>', 'database: SQLite file or postgres:// URL (default: $GLASSHUB_DB or ./data/glasshub.db)')
      .option('--key <file>', 'log signing key file (default: log.key beside the database)');

  dbOptions(
    principals
      .command('add')
      .description('Add a principal and print its id and its first token (once); recorded in the ledger without the name')
      .requiredOption('--name <label>', "the operator's label for it (kept in the database only, never in the ledger)")
      .requiredOption('--role <role>', ROLES.join(' | '))
      .requiredOption('--org <slug>', 'organisation, e.g. hub-operator, be-customs, dpd-be')
      .requiredOption('--country <CC>', 'ISO 3166-1 alpha-2 country it acts from')
      .option('--expires <duration>', 'token lifetime, e.g. 90m, 12h, 30d, 2w (default: until revoked)'),
  ).action(async (opts: AddOptions) => {
    const expiresAt = expiry(opts.expires);
    const input = { name: opts.name, role: opts.role, organisation: opts.org, country: opts.country };
    try {
      parsePrincipalInput(input); // before the database is opened: refused input creates nothing
    } catch (err) {
      namingTheFlag(err);
    }
    await withLedger(opts, 'create', async (store, log) => {
      const added = await addPrincipal(store.db, log, input, { expiresAt }).catch(namingTheFlag);
      process.stdout.write(`principal ${added.principal.id} ${describe(added.principal)}\n${tokenLines(added.token)}`);
      process.stderr.write(ONCE);
    });
  });

  dbOptions(
    principals
      .command('list')
      .description('List every principal, revoked ones included (names are printed here, never logged)')
      .option('--json', 'print a JSON array'),
  ).action(async (opts: ListOptions) => {
    const store = await openCheckedStore(opts, 'existing');
    try {
      const all = await listPrincipals(store.db);
      process.stdout.write(opts.json ? `${JSON.stringify(all, null, 2)}\n` : table(all));
    } finally {
      await store.close();
    }
  });

  dbOptions(
    principals.command('revoke <id>').description('Revoke a principal and all its tokens; recorded in the ledger'),
  ).action(async (id: string, opts: DbOptions) => {
    await withLedger(opts, 'existing', async (store, log) => {
      const { principal, index } = await revokePrincipal(store.db, log, id);
      process.stdout.write(`revoked ${principal.id} ${describe(principal)} at ${principal.revokedAt ?? ''} (ledger entry ${index})\n`);
    });
  });

  dbOptions(
    principals
      .command('token <id>')
      .description('Issue a new token for an existing principal and print it (once); recorded in the ledger')
      .option('--expires <duration>', 'token lifetime, e.g. 90m, 12h, 30d, 2w (default: until revoked)'),
  ).action(async (id: string, opts: TokenOptions) => {
    const expiresAt = expiry(opts.expires);
    await withLedger(opts, 'existing', async (store, log) => {
      const issued = await issueToken(store.db, log, id, { expiresAt });
      process.stdout.write(`principal ${issued.principal.id} ${describe(issued.principal)}\n${tokenLines(issued)}`);
      process.stderr.write(ONCE);
    });
  });
}

async function withLedger(opts: DbOptions, use: DbUse, run: (store: Store, log: TransparencyLog) => Promise<void>): Promise<void> {
  const keyFile = checkedLogKeyFile(opts);
  const store = await openCheckedStore(opts, use);
  try {
    const log = await openLedger(store, loadOrCreateLogKey(keyFile));
    try {
      await run(store, log);
    } finally {
      await log.close();
    }
  } finally {
    await store.close();
  }
}

function expiry(text: string | undefined): Date | null {
  if (text === undefined) return null;
  try {
    return expiryAfter(text, new Date());
  } catch (err) {
    throw new Error(`--expires: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Input errors name the command-line flag the operator typed. */
function namingTheFlag(err: unknown): never {
  if (err instanceof ParseError && err.field !== undefined) throw new Error(`${FLAG[err.field] ?? err.field}: ${err.reason}`);
  throw err;
}

function describe(p: Principal): string {
  return `(${p.role}, ${p.organisation}, ${p.country})`;
}

function tokenLines(t: IssuedToken): string {
  return `token ${t.token}\nexpires ${t.expiresAt ?? 'never'}\n`;
}

function table(all: readonly Principal[]): string {
  if (all.length === 0) return 'no principals yet: add one with `glasshub principals add`\n';
  const rows = [
    ['ID', 'ROLE', 'ORGANISATION', 'COUNTRY', 'CREATED', 'REVOKED', 'NAME'],
    ...all.map((p) => [p.id, p.role, p.organisation, p.country, p.createdAt, p.revokedAt ?? '-', JSON.stringify(p.name)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
