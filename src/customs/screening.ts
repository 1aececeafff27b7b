/**
 * The sanctions screening of a flight's parties during clearance, through the gate:
 * - SELLERS: each distinct seller once, its name only, read with purpose customs-control (≤ 1,000 refs per
 *   decision, `parties.ts`);
 * - BUYERS: compared by keyed hash inside the vault (`Gate.screen`), nothing opened; the vault names only
 *   the matching records.
 * Parties can be added more than once (refs from a light query first, then the parcels as read): only refs
 * not yet screened go to the gate again, so every parcel computed has had its parties screened.
 * It also knows which buyers have more than one parcel on the flight: the only candidates for the split
 * consignment rule within the flight (sorting the refs finds them; a map of 250,000 buyers cost more).
 */
import type { Kysely } from 'kysely';
import { sortedDistinct } from '../domain/index.js';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { PartyReadDenied, readParties } from './parties.js';
import type { SanctionsList } from './rules/sanctions.js';

/** What screening needs of a parcel: its consignee (buyer) and seller refs, as the flight read has them. */
export type PartyRefs = readonly [unknown, unknown, unknown, unknown, unknown, consigneeRef: string, sellerRef: string | null, ...rest: unknown[]];

export interface BuyerScreening {
  /** The gate's decisions: one per flight, another only for parcels added to the flight while it was cleared. */
  readonly ledgerIndexes: readonly number[];
  readonly screened: number;
  /** Buyers sealed before names were indexed, or erased: not screenable. */
  readonly unscreened: number;
  readonly matches: number;
}

export class PartyScreening {
  /** Seller ref → name (screening reads names only). */
  readonly sellerNames = new Map<string, string>();
  /** Buyer ref → the list entry its name matches. */
  readonly buyerHits = new Map<string, string>();
  readonly sellerReads: number[] = [];
  /** Buyers with more than one parcel among those added. */
  readonly repeatedBuyers = new Set<string>();
  private readonly sellers = new Set<string>();
  /** The first `add`'s buyers, distinct and sorted; a set of all buyers seen is built only by a second `add`. */
  private firstBuyers: readonly string[] | undefined;
  private buyerSet: Set<string> | undefined;
  private readonly buyerDecisions: number[] = [];
  private screened = 0;
  private unscreened = 0;

  constructor(
    private readonly gate: Gate,
    private readonly principal: Principal,
    private readonly flightId: string,
    private readonly enabled: boolean,
    private readonly sanctions: SanctionsList,
    /** Where buyers' names are compared (the store's reader), if not on the gate's own connection. */
    private readonly reader?: Kysely<Database>,
  ) {}

  /** Screens the parties of these parcels that are not screened yet. */
  async add(parcels: readonly PartyRefs[]): Promise<void> {
    const all: string[] = new Array<string>(parcels.length);
    const sellers: string[] = [];
    for (let i = 0; i < parcels.length; i++) {
      const p = parcels[i]!;
      all[i] = p[5];
      const seller = p[6];
      if (seller !== null && !this.sellers.has(seller)) {
        this.sellers.add(seller);
        sellers.push(seller);
      }
    }
    this.repeatedBuyers.clear();
    let buyers = sortedDistinct(all, this.repeatedBuyers);
    if (this.firstBuyers === undefined) this.firstBuyers = buyers;
    else {
      const seen = (this.buyerSet ??= new Set(this.firstBuyers));
      buyers = buyers.filter((b) => !seen.has(b));
      for (const b of buyers) seen.add(b);
    }
    if (!this.enabled) return;
    // Sellers' names and buyers' screening are independent: both go at once.
    await Promise.all([this.readSellers(sellers), this.screenBuyers(buyers)]);
  }

  private async readSellers(sellers: readonly string[]): Promise<void> {
    if (sellers.length === 0) return;
    const read = await readParties(this.gate, this.principal, sellers, 'seller', ['name']);
    for (const [ref, rec] of read.records) if (rec.name !== undefined) this.sellerNames.set(ref, rec.name);
    this.sellerReads.push(...read.ledgerIndexes);
  }

  private async screenBuyers(buyers: readonly string[]): Promise<void> {
    if (buyers.length === 0 || this.sanctions.size === 0) return;
    const { sanctions } = this;
    const d = await this.gate.screen({ principal: this.principal, purpose: 'customs-control', refs: buyers, category: 'consignee', scope: `flight:${this.flightId}`, list: { source: sanctions.source, names: sanctions.names() } }, { ...(this.reader && { reader: this.reader }) });
    if (d.decision !== 'allow') throw new PartyReadDenied(`the gate denied screening buyers for customs-control (rules: ${d.rules.join(', ')}; ledger entry ${d.ledgerIndex})`, d.ledgerIndex);
    for (const [ref, name] of d.matches) this.buyerHits.set(ref, sanctions.entryOf(name) ?? name);
    this.buyerDecisions.push(d.ledgerIndex);
    this.screened += buyers.length - d.unscreened;
    this.unscreened += d.unscreened;
  }

  /** Absent when no list is loaded or the rule is off. */
  get buyerScreening(): BuyerScreening | undefined {
    if (this.buyerDecisions.length === 0) return undefined;
    return { ledgerIndexes: [...this.buyerDecisions], screened: this.screened, unscreened: this.unscreened, matches: this.buyerHits.size };
  }
}
