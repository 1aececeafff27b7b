/**
 * The short-shipped rule, in one place for the breakdown report (which lists the parcels) and the console's
 * flights board (which counts them): a manifested parcel never scanned (`received_at` null) is short-shipped
 * once its flight is closed; until then only provisionally, and only if its ULD was already received (the
 * parcels of a ULD still expected may yet be scanned).
 */

/** What the rule needs to know of one flight. */
export interface ShortShippedScope {
  /** The flight is closed (`broken-down`): every unscanned parcel is short-shipped. */
  readonly flightClosed: boolean;
  /** The flight's ULDs already received. */
  readonly receivedUlds: ReadonlySet<string>;
}

/** Whether the unscanned parcels of `uld` (null: a parcel in no ULD) count as short-shipped. */
export function countsAsShortShipped(scope: ShortShippedScope, uld: string | null): boolean {
  return scope.flightClosed || (uld !== null && scope.receivedUlds.has(uld));
}
