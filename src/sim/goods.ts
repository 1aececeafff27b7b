/**
 * What e-commerce freighters carry and who sells it: products with their HS codes, plausible unit prices
 * (USD) and masses, sellers by country (mostly China), and the airlines that fly them to Liège.
 */
import type { Prng } from './prng.js';
import { Weighted } from './prng.js';

export interface Product {
  readonly description: string;
  readonly hsCode: string;
  /** Unit price range in USD. */
  readonly minUsd: number;
  readonly maxUsd: number;
}

const p = (description: string, hsCode: string, minUsd: number, maxUsd: number): Product => ({ description, hsCode, minUsd, maxUsd });

/** Weighted by how often they appear on a marketplace's parcels. */
export const PRODUCTS = new Weighted<Product>([
  [p('Smartphone', '8517.13', 70, 320), 2],
  [p('Phone case', '3926.90', 1, 8), 8],
  [p('USB-C charging cable', '8544.42', 1, 9), 7],
  [p('Wall charger 20W', '8504.40', 3, 20), 5],
  [p('Wireless earbuds', '8518.30', 5, 60), 6],
  [p('Bluetooth speaker', '8518.22', 8, 50), 3],
  [p('Smartwatch', '8517.62', 15, 120), 3],
  [p('Cotton T-shirt', '6109.10', 3, 15), 10],
  [p('Knitted pullover', '6110.30', 8, 30), 5],
  [p('Hooded sweatshirt', '6110.20', 8, 35), 5],
  [p('Women’s dress', '6204.43', 8, 40), 6],
  [p('Sneakers', '6404.11', 12, 60), 6],
  [p('Toy car', '9503.00', 2, 20), 4],
  [p('Building blocks set', '9503.00', 5, 40), 3],
  [p('Lipstick', '3304.10', 1, 12), 4],
  [p('Face cream', '3304.99', 3, 25), 4],
  [p('Eyeshadow palette', '3304.20', 2, 15), 3],
  [p('LED strip light', '9405.42', 3, 18), 3],
  [p('Watch strap', '9113.20', 1, 10), 3],
  [p('Backpack', '4202.92', 6, 35), 3],
  [p('Hair clips (set)', '9615.19', 1, 6), 3],
]);

/** Currencies of the declared values, and USD → currency (rounded, for plausible amounts only). */
export const CURRENCIES = new Weighted<readonly [string, number]>([
  [['USD', 1], 55],
  [['CNY', 7.2], 20],
  [['EUR', 0.92], 25],
]);

export const SELLER_COUNTRIES = new Weighted<string>([
  ['CN', 80],
  ['HK', 8],
  ['US', 5],
  ['GB', 4],
  ['TR', 3],
]);

const SELLER_NAMES: Readonly<Record<string, readonly string[]>> = {
  CN: ['Shenzhen Huaqiang Trading Co., Ltd.', 'Yiwu Sunrise Commodity Co., Ltd.', 'Guangzhou Baiyun Apparel Co., Ltd.', 'Dongguan Bright Toys Co., Ltd.', 'Hangzhou Lotus E-Commerce Co., Ltd.', 'Xiamen Ocean Electronics Co., Ltd.', 'Ningbo Evergreen Home Co., Ltd.', 'Shanghai Jade Cosmetics Co., Ltd.'],
  HK: ['Kowloon Gadget Ltd.', 'Victoria Harbour Trading Ltd.', 'Pearl Delta Sourcing Ltd.'],
  US: ['Brooklyn Goods LLC', 'Pacific Outlet Inc.'],
  GB: ['Camden Vintage Ltd', 'Midlands Craft Supplies Ltd'],
  TR: ['Istanbul Tekstil A.Ş.', 'Bursa Moda Ltd. Şti.'],
};

export interface Seller {
  readonly name: string;
  readonly country: string;
}

export function seller(rng: Prng): Seller {
  const country = SELLER_COUNTRIES.draw(rng);
  return { name: rng.pick(SELLER_NAMES[country] ?? ['Unknown Seller']), country };
}

export interface Airline {
  readonly code: string;
  /** IATA airline prefix of its air waybills. */
  readonly awbPrefix: string;
  readonly name: string;
  readonly flights: readonly string[];
}

/** Freighter operators seen at Liège; flight numbers are illustrative. */
export const AIRLINES: readonly Airline[] = [
  { code: 'CK', awbPrefix: '112', name: 'China Cargo Airlines', flights: ['231', '233', '251'] },
  { code: '5Y', awbPrefix: '369', name: 'Atlas Air', flights: ['8127', '8402'] },
  { code: 'CA', awbPrefix: '999', name: 'Air China Cargo', flights: ['1045', '1031'] },
];

/** The day's schedule, interleaved by airline: CK231, 5Y8127, CA1045, CK233, 5Y8402, CA1031, CK251. */
export const SCHEDULE: readonly { readonly airline: Airline; readonly flight: string }[] = [0, 1, 2].flatMap((k) =>
  AIRLINES.flatMap((airline) => (k < airline.flights.length ? [{ airline, flight: `${airline.code}${airline.flights[k]!}` }] : [])),
);
