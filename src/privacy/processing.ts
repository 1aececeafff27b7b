import type { Policy } from '../gate/index.js';

/**
 * The records of processing activities (GDPR Art. 30), kept beside the policy they describe: each
 * activity names the policy rules that allow it, and a test fails when a permit rule of the shipped policy
 * is described by no activity, or an activity names a rule the policy does not have.
 */
export interface ProcessingActivity {
  readonly id: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly categoriesOfData: readonly string[];
  readonly categoriesOfRecipients: readonly string[];
  readonly retention: string;
  readonly policyRules: readonly string[];
}

export const CONTROLLER = {
  name: 'The hub operator (configure in deployment)',
  dpo: 'dpo@hub.example',
  securityMeasures:
    'Per-person AES-256-GCM encryption with wrapped data keys; crypto-shredding; every access decided by a published Cedar policy and recorded in a witnessed RFC 6962 transparency log.',
} as const;

export const PROCESSING_ACTIVITIES: readonly ProcessingActivity[] = [
  {
    id: 'sorting',
    purpose: 'Sorting parcels to the outbound lane of the destination',
    legalBasis: 'GDPR Art. 6(1)(b): performance of the contract of carriage',
    categoriesOfData: ['destination country', 'destination postcode'],
    categoriesOfRecipients: ['hub staff (scanners, sorters, supervisors)'],
    retention: 'until dispatch, then with the parcel record',
    policyRules: ['sorting-sees-routing-fields'],
  },
  {
    id: 'exception-handling',
    purpose: 'Resolving parcels with an unknown or invalid destination',
    legalBasis: 'GDPR Art. 6(1)(b)',
    categoriesOfData: ['consignee name', 'consignee address'],
    categoriesOfRecipients: ['hub supervisors'],
    retention: 'with the parcel record',
    policyRules: ['supervisor-resolves-exceptions'],
  },
  {
    id: 'customs-control',
    purpose: 'Customs declaration and control of imported low-value consignments (H7, ICS2)',
    legalBasis: 'GDPR Art. 6(1)(c): Union Customs Code, Regulation (EU) 952/2013',
    categoriesOfData: ['consignee and seller name and address', 'goods description, value, HS code'],
    categoriesOfRecipients: ['customs authority of the member state of import'],
    retention: '3 years after the declaration (UCC Art. 51)',
    policyRules: ['customs-control'],
  },
  {
    id: 'sanctions-screening',
    purpose: "Screening of parties against the EU's consolidated financial sanctions list at import, buyers by keyed hash of their name (no record opened)",
    legalBasis: 'GDPR Art. 6(1)(c): Union Customs Code Art. 46 (risk management) and the EU sanctions regulations',
    categoriesOfData: ["seller's name (read); buyer's name as a keyed hash, compared inside the vault"],
    categoriesOfRecipients: ['customs authority of the member state of import, for matches only'],
    retention: 'the keyed hash lives and dies with the record it belongs to (erasure clears it)',
    policyRules: ['customs-sanctions-screening'],
  },
  {
    id: 'delivery',
    purpose: 'Handing parcels to the last-mile carrier for delivery',
    legalBasis: 'GDPR Art. 6(1)(b)',
    categoriesOfData: ['consignee name, address and phone'],
    categoriesOfRecipients: ['last-mile carriers, once per dispatch'],
    retention: 'carrier: as its own controller; hub: with the parcel record',
    policyRules: ['carrier-delivery'],
  },
  {
    id: 'data-subject-rights',
    purpose: 'Answering access and erasure requests of data subjects',
    legalBasis: 'GDPR Art. 6(1)(c): Art. 15 and 17',
    categoriesOfData: ['all personal data about the requester'],
    categoriesOfRecipients: ['the data subject', 'the data-protection officer'],
    retention: 'the request record: 1 year',
    policyRules: ['subject-access', 'subject-access-verification', 'erasure'],
  },
  {
    id: 'statistics',
    purpose: 'Statistics over parcels for operations, capacity planning, customs risk analysis and audit',
    legalBasis: 'GDPR Art. 6(1)(f): legitimate interest; no personal field is read, and every released cell counts at least k parcels',
    categoriesOfData: ['none personal: counts and sums of parcels by destination, seller country, HS chapter, day, airline, flight'],
    categoriesOfRecipients: ['hub supervisors and administrators', 'customs', 'auditors and the DPO', 'last-mile carriers (capacity planning)'],
    retention: 'not stored: computed on request; the release decision stays in the ledger',
    policyRules: ['aggregates-for-operations-and-oversight', 'aggregates-for-carriers'],
  },
];

/**
 * The legal bases a caller may cite when reading a person's data: those of the records above. Whatever a
 * caller cites stands in the public log beside the person's tag, so it is a choice from this list, never
 * free text (which could carry a name or an address into a log that cannot forget).
 */
export const LEGAL_BASES: readonly string[] = [...new Set(PROCESSING_ACTIVITIES.map((a) => a.legalBasis))];

/** The legal basis the records give for a gate purpose (the activity of that id), if one does. */
export function legalBasisOf(purpose: string): string | undefined {
  return PROCESSING_ACTIVITIES.find((a) => a.id === purpose)?.legalBasis;
}

/** Permit rules of the policy that no activity describes, and activity rules the policy lacks. */
export function processingGaps(policy: Policy): { undescribed: string[]; unknown: string[] } {
  const permits = policy.rules.filter((r) => r.effect === 'permit').map((r) => r.id);
  const described = new Set(PROCESSING_ACTIVITIES.flatMap((a) => a.policyRules));
  return {
    undescribed: permits.filter((id) => !described.has(id)),
    unknown: [...described].filter((id) => !permits.includes(id)),
  };
}

/** The Art. 30 record as a document, generated from the activities and the live policy's descriptions. */
export function recordsOfProcessing(policy: Policy): Record<string, unknown> {
  const descriptions = new Map(policy.rules.map((r) => [r.id, r.description]));
  return {
    controller: CONTROLLER,
    policy: policy.hash,
    activities: PROCESSING_ACTIVITIES.map((a) => ({ ...a, rules: a.policyRules.map((id) => ({ id, description: descriptions.get(id) ?? null })) })),
    prohibitions: policy.rules.filter((r) => r.effect === 'forbid').map((r) => ({ id: r.id, description: r.description })),
  };
}
