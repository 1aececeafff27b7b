/**
 * Customs duty rules for low-value consignments (intrinsic value ≤ EUR 150), dated.
 *
 * - From 2021-07-01 to 2026-06-30: relief from import duty for consignments of negligible value
 *   (Council Regulation (EC) No 1186/2009, Art. 23), declared on the H7 super-reduced data set.
 * - From 2026-07-01 to 2028-06-30: the relief is abolished and an interim flat duty of EUR 3 is charged per
 *   distinct tariff sub-heading (6-digit HS) in a consignment: Council Regulation (EU) 2026/382,
 *   operationalised by Commission Delegated Regulation (EU) 2026/1022 and Implementing Regulation
 *   (EU) 2026/1200 (Council press release of 11 Feb 2026; Baker McKenzie Global Import blog, 2 Jul 2026).
 *   Scope is read here as every low-value B2C consignment whatever the VAT scheme (IOSS, special
 *   arrangements, standard); one earlier summary limits it to IOSS and postal consignments. Confidence:
 *   medium on scope, high on amount, unit (distinct HS6) and dates. `scope` makes the reading explicit.
 * - National handling fees on low-value parcels: none recorded. Some member states announced fees for
 *   2026; we could not verify adopted texts, so none is applied (see docs/customs.md).
 */
export interface DutyRule {
  readonly id: string;
  readonly validFrom: string;
  /** Inclusive; absent while in force. */
  readonly validTo?: string;
  readonly kind: 'relief' | 'flat-per-hs6';
  /** EUR amount per distinct HS6, for `flat-per-hs6`. */
  readonly amountEur?: string;
  /** Which low-value consignments it applies to. */
  readonly scope: 'all' | 'ioss-only';
  readonly source: string;
  readonly confidence: 'high' | 'medium' | 'low';
}

export const LOW_VALUE_THRESHOLD_EUR = '150.00';

export const DUTY_RULES: readonly DutyRule[] = [
  {
    id: 'relief-negligible-value',
    validFrom: '2021-07-01',
    validTo: '2026-06-30',
    kind: 'relief',
    scope: 'all',
    source: 'Council Regulation (EC) No 1186/2009, Art. 23 (relief ≤ EUR 150)',
    confidence: 'high',
  },
  {
    id: 'interim-flat-duty-eur3',
    validFrom: '2026-07-01',
    validTo: '2028-06-30',
    kind: 'flat-per-hs6',
    amountEur: '3.00',
    scope: 'all',
    source: 'Council Regulation (EU) 2026/382; Commission Delegated Regulation (EU) 2026/1022',
    confidence: 'medium',
  },
];

export interface HandlingFee {
  readonly country: string;
  readonly amountEur: string;
  readonly validFrom: string;
  readonly validTo?: string;
  readonly source: string;
}
/** Adopted national handling fees: none recorded (unverified announcements are not applied). */
export const NATIONAL_HANDLING_FEES: readonly HandlingFee[] = [];
