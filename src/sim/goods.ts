/**
 * What e-commerce freighters carry and who sells it: products with their HS codes, plausible unit prices
 * (USD) and masses, sellers by country (mostly China) with their addresses, and the airlines that fly them
 * to Liège.
 */
import { hashSeed, Prng, Weighted } from './prng.js';

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

/** A simulated seller: its name, its city and its postcode's pattern (`#` a digit drawn per seed). */
interface SellerProfile {
  readonly name: string;
  readonly city: string;
  readonly postcode: string;
}
/** A country's street names and where the house number goes (`{n}` the number, `{s}` the street). */
interface StreetStyle {
  readonly streets: readonly string[];
  readonly form: string;
}

const sp = (name: string, city: string, postcode: string): SellerProfile => ({ name, city, postcode });

const SELLERS: Readonly<Record<string, readonly SellerProfile[]>> = {
  CN: [
    sp('Shenzhen Huaqiang Trading Co., Ltd.', 'Shenzhen', '5180##'),
    sp('Yiwu Sunrise Commodity Co., Ltd.', 'Yiwu', '3220##'),
    sp('Guangzhou Baiyun Apparel Co., Ltd.', 'Guangzhou', '5104##'),
    sp('Dongguan Bright Toys Co., Ltd.', 'Dongguan', '5230##'),
    sp('Hangzhou Lotus E-Commerce Co., Ltd.', 'Hangzhou', '3100##'),
    sp('Xiamen Ocean Electronics Co., Ltd.', 'Xiamen', '3610##'),
    sp('Ningbo Evergreen Home Co., Ltd.', 'Ningbo', '3150##'),
    sp('Shanghai Jade Cosmetics Co., Ltd.', 'Shanghai', '2000##'),
  ],
  // Hong Kong has no postcodes; forms that require one are commonly given 999077.
  HK: [sp('Kowloon Gadget Ltd.', 'Kowloon', '999077'), sp('Victoria Harbour Trading Ltd.', 'Hong Kong', '999077'), sp('Pearl Delta Sourcing Ltd.', 'Hong Kong', '999077')],
  US: [sp('Brooklyn Goods LLC', 'Brooklyn, NY', '112##'), sp('Pacific Outlet Inc.', 'Los Angeles, CA', '900##')],
  GB: [sp('Camden Vintage Ltd', 'London', 'NW1 #AH'), sp('Midlands Craft Supplies Ltd', 'Birmingham', 'B1# #AQ')],
  TR: [sp('Istanbul Tekstil A.Ş.', 'İstanbul', '34###'), sp('Bursa Moda Ltd. Şti.', 'Bursa', '16###')],
};
const UNKNOWN_SELLERS = [sp('Unknown Seller', 'Unknown', '00000')];

// Street names found in most cities of the country, so that any of them fits any seller's city.
const STREETS: Readonly<Record<string, StreetStyle>> = {
  CN: { streets: ['Renmin Road', 'Zhongshan Road', 'Jiefang Road', 'Jianshe Road', 'Industrial Park Road'], form: 'No. {n} {s}' },
  HK: { streets: ['Nathan Road', 'Canton Road', 'Hennessy Road', 'Queen’s Road Central'], form: '{n} {s}' },
  US: { streets: ['Main Street', 'Commerce Street', 'Industrial Way', 'Oak Avenue'], form: '{n} {s}' },
  GB: { streets: ['High Street', 'Station Road', 'Church Street', 'Mill Lane'], form: '{n} {s}' },
  TR: { streets: ['Atatürk Caddesi', 'Cumhuriyet Caddesi', 'Fevzi Çakmak Caddesi', 'Organize Sanayi Bölgesi'], form: '{s} No: {n}' },
};
const ANY_STREET: StreetStyle = { streets: ['Main Street'], form: '{n} {s}' };

export interface Seller {
  readonly name: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly country: string;
}

/**
 * Draws the seller of each parcel. A seller's address is made the first time it is drawn, from its own
 * stream of the seed: the main stream's draws stay as they were, a seller keeps one address across a
 * day's flights (one vault subject), and a line costs a Map lookup, not an address.
 */
export class Sellers {
  private readonly known = new Map<SellerProfile, Seller>();

  constructor(private readonly seed: number) {}

  draw(rng: Prng): Seller {
    const country = SELLER_COUNTRIES.draw(rng);
    const profile = rng.pick(SELLERS[country] ?? UNKNOWN_SELLERS);
    let seller = this.known.get(profile);
    if (seller === undefined) this.known.set(profile, (seller = withAddress(profile, country, new Prng(hashSeed(this.seed, 'seller', profile.name)))));
    return seller;
  }
}

function withAddress(profile: SellerProfile, country: string, rng: Prng): Seller {
  const style = STREETS[country] ?? ANY_STREET;
  const street = style.form.replace('{n}', String(rng.int(1, 288))).replace('{s}', rng.pick(style.streets));
  const postcode = profile.postcode.replace(/#/g, () => String(rng.int(0, 9)));
  return { name: profile.name, street, postcode, city: profile.city, country };
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
