/** What validation makes of a manifest line: a typed parcel in canonical form, or its errors. */
import type { PersonalData } from '../../gate/types.js';

export interface LineError {
  /** 1-based line number in the file (CSV: the line where the record starts). */
  readonly line: number;
  /** Dotted path of the field (`consignee.email`, `items.0.hsCode`), or `(line)` for the line as a whole. */
  readonly field: string;
  readonly reason: string;
}

export interface IntakeItem {
  readonly description: string;
  /** All digits given (HS 6, CN 8 or TARIC 10). */
  readonly hsCode: string;
  readonly quantity: number;
  /** Canonical decimal string with the currency's decimals, e.g. `12.50`. */
  readonly unitValue: string;
  readonly currency: string;
  readonly originCountry: string;
}

/** A manifest line that passed every check, in canonical form. */
export interface IntakeParcel {
  readonly line: number;
  readonly flightNumber: string;
  readonly flightDate: string;
  /** `CK231/2026-11-25`. */
  readonly flightId: string;
  readonly awb: string;
  readonly uld: string | null;
  readonly trackingNumber: string;
  readonly seller: PersonalData;
  readonly consignee: PersonalData;
  readonly items: readonly IntakeItem[];
  readonly grossMassG: number;
  readonly iossNumber: string | null;
}

export type LineResult = { readonly ok: true; readonly parcel: IntakeParcel } | { readonly ok: false; readonly errors: readonly LineError[] };
