/**
 * Standard VAT rates of the 27 member states, dated: the rate that applies is the one in force on the
 * date of import. Rates are decimal strings (percent). `validTo` is inclusive; absent = still in force.
 *
 * Source: European Commission, DG TAXUD, "VAT rates applied in the Member States of the European Union"
 * and its Taxes in Europe Database (TEDB), cross-checked with the national changes listed below. Rows
 * start at 2021-07-01 (the VAT e-commerce package, IOSS). Confidence: high for rates unchanged since 2021;
 * medium for the 2024–2025 changes (EE, FI, LU, RO, SK), which are taken from national announcements.
 */
export interface VatRateRow {
  readonly country: string;
  /** Percent, exact decimal string: '21', '25.5'. */
  readonly rate: string;
  /** ISO date, inclusive. */
  readonly validFrom: string;
  /** ISO date, inclusive; absent while in force. */
  readonly validTo?: string;
  readonly source: string;
}

const TEDB = 'EC DG TAXUD, VAT rates applied in the Member States (TEDB)';
const SINCE = '2021-07-01';

/** Reduced rates by HS prefix (country + prefix → rate): the model allows them; none are applied yet. */
export interface ReducedRateRow extends VatRateRow {
  readonly hsPrefix: string;
}
export const REDUCED_VAT_RATES: readonly ReducedRateRow[] = [];

export const STANDARD_VAT_RATES: readonly VatRateRow[] = [
  { country: 'AT', rate: '20', validFrom: SINCE, source: TEDB },
  { country: 'BE', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'BG', rate: '20', validFrom: SINCE, source: TEDB },
  { country: 'CY', rate: '19', validFrom: SINCE, source: TEDB },
  { country: 'CZ', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'DE', rate: '19', validFrom: SINCE, source: TEDB },
  { country: 'DK', rate: '25', validFrom: SINCE, source: TEDB },
  { country: 'EE', rate: '20', validFrom: SINCE, validTo: '2023-12-31', source: TEDB },
  { country: 'EE', rate: '22', validFrom: '2024-01-01', validTo: '2025-06-30', source: `${TEDB}; Estonian VAT Act amendment 2023` },
  { country: 'EE', rate: '24', validFrom: '2025-07-01', source: `${TEDB}; Estonian security tax package 2024` },
  { country: 'GR', rate: '24', validFrom: SINCE, source: TEDB },
  { country: 'ES', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'FI', rate: '24', validFrom: SINCE, validTo: '2024-08-31', source: TEDB },
  { country: 'FI', rate: '25.5', validFrom: '2024-09-01', source: `${TEDB}; Finnish Government Bill HE 61/2024` },
  { country: 'FR', rate: '20', validFrom: SINCE, source: TEDB },
  { country: 'HR', rate: '25', validFrom: SINCE, source: TEDB },
  { country: 'HU', rate: '27', validFrom: SINCE, source: TEDB },
  { country: 'IE', rate: '23', validFrom: SINCE, source: TEDB },
  { country: 'IT', rate: '22', validFrom: SINCE, source: TEDB },
  { country: 'LT', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'LU', rate: '17', validFrom: SINCE, validTo: '2022-12-31', source: TEDB },
  { country: 'LU', rate: '16', validFrom: '2023-01-01', validTo: '2023-12-31', source: `${TEDB}; Luxembourg temporary 1-point cut 2023` },
  { country: 'LU', rate: '17', validFrom: '2024-01-01', source: TEDB },
  { country: 'LV', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'MT', rate: '18', validFrom: SINCE, source: TEDB },
  { country: 'NL', rate: '21', validFrom: SINCE, source: TEDB },
  { country: 'PL', rate: '23', validFrom: SINCE, source: TEDB },
  { country: 'PT', rate: '23', validFrom: SINCE, source: TEDB },
  { country: 'RO', rate: '19', validFrom: SINCE, validTo: '2025-07-31', source: TEDB },
  { country: 'RO', rate: '21', validFrom: '2025-08-01', source: `${TEDB}; Romanian Law 141/2025` },
  { country: 'SE', rate: '25', validFrom: SINCE, source: TEDB },
  { country: 'SI', rate: '22', validFrom: SINCE, source: TEDB },
  { country: 'SK', rate: '20', validFrom: SINCE, validTo: '2024-12-31', source: TEDB },
  { country: 'SK', rate: '23', validFrom: '2025-01-01', source: `${TEDB}; Slovak consolidation package 2024` },
];
