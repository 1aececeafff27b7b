/**
 * What the 3-letter ULD type code says (IATA ULD Regulations, Standard Specification 40/1): the
 * first letter is the category, the second the base size, the third the contour or restraint.
 * Only the values this hub meets and that we could check are listed; others stay valid codes.
 */
import { frozenTable } from './assert.js';

export type UldKind = 'container' | 'pallet' | 'net' | 'stall' | 'vehicle-rack' | 'airline-use';

/** First letter of the type code. */
export const ULD_CATEGORIES: Readonly<Record<string, { readonly kind: UldKind; readonly description: string }>> =
  frozenTable({
    A: { kind: 'container', description: 'certified aircraft container' },
    D: { kind: 'container', description: 'non-certified aircraft container' },
    F: { kind: 'pallet', description: 'non-certified aircraft pallet' },
    G: { kind: 'net', description: 'non-certified aircraft pallet net' },
    H: { kind: 'stall', description: 'horse stall' },
    J: { kind: 'container', description: 'thermal non-structural igloo' },
    K: { kind: 'stall', description: 'cattle stall' },
    M: { kind: 'container', description: 'thermal non-certified aircraft container' },
    N: { kind: 'net', description: 'certified aircraft pallet net' },
    P: { kind: 'pallet', description: 'certified aircraft pallet' },
    R: { kind: 'container', description: 'thermal certified aircraft container' },
    U: { kind: 'container', description: 'non-structural igloo' },
    V: { kind: 'vehicle-rack', description: 'automobile transport equipment' },
    X: { kind: 'airline-use', description: 'reserved for airline internal use' },
    Y: { kind: 'airline-use', description: 'reserved for airline internal use' },
    Z: { kind: 'airline-use', description: 'reserved for airline internal use' },
  });

/** Second letter of the type code: base dimensions, width × length in cm (inches). */
export const ULD_BASE_SIZES: Readonly<Record<string, string>> = frozenTable({
  A: '224 × 318 cm (88 × 125 in)',
  G: '244 × 606 cm (96 × 238.5 in)',
  K: '153 × 156 cm (60.4 × 61.5 in)',
  L: '153 × 318 cm (60.4 × 125 in)',
  M: '244 × 318 cm (96 × 125 in)',
  P: '120 × 153 cm (47 × 60.4 in)',
  Q: '153 × 244 cm (60.4 × 96 in)',
  R: '244 × 498 cm (96 × 196 in)',
});

export interface UldType {
  readonly kind: 'container' | 'pallet';
  readonly description: string;
}

/** Type codes met at the hub, with their usual names (ATA "LD" names where one is in use). */
export const ULD_TYPES: Readonly<Record<string, UldType>> = frozenTable({
  AAP: { kind: 'container', description: 'lower-deck container on an 88 × 125 in base' },
  AAX: { kind: 'container', description: 'container on an 88 × 125 in base' },
  AKE: { kind: 'container', description: 'LD3 container, no forklift pockets' },
  AKH: { kind: 'container', description: 'LD3-45 container, reduced height for A320-family holds' },
  AKN: { kind: 'container', description: 'LD3 container with forklift pockets' },
  ALF: { kind: 'container', description: 'LD6 container, full-width lower deck' },
  ALP: { kind: 'container', description: 'LD11 container, rectangular, full-width lower deck' },
  AMA: { kind: 'container', description: 'main-deck container on a 96 × 125 in base' },
  AMJ: { kind: 'container', description: 'main-deck container on a 96 × 125 in base, contoured' },
  DPE: { kind: 'container', description: 'LD2 container (B767), no forklift pockets' },
  DPN: { kind: 'container', description: 'LD2 container (B767) with forklift pockets' },
  DQF: { kind: 'container', description: 'LD8 container (B767), double width' },
  RAP: { kind: 'container', description: 'temperature-controlled container on an 88 × 125 in base' },
  RKN: { kind: 'container', description: 'temperature-controlled LD3 container' },
  FQA: { kind: 'pallet', description: 'non-certified pallet, LD8 footprint (60.4 × 96 in)' },
  PAG: { kind: 'pallet', description: 'pallet 88 × 125 in with net' },
  PAJ: { kind: 'pallet', description: 'pallet 88 × 125 in' },
  PGA: { kind: 'pallet', description: '20 ft main-deck pallet, 96 × 238.5 in' },
  PKC: { kind: 'pallet', description: 'pallet with an LD3 footprint, 60.4 × 61.5 in' },
  PLA: { kind: 'pallet', description: 'half pallet 60.4 × 125 in (LD11 footprint)' },
  PMC: { kind: 'pallet', description: 'pallet 96 × 125 in with net, the most common main/lower-deck pallet' },
  PQA: { kind: 'pallet', description: 'pallet 60.4 × 96 in' },
  PRA: { kind: 'pallet', description: '16 ft main-deck pallet, 96 × 196 in' },
});
