/**
 * The manifest format, defined once: one parcel per line (NDJSON, or a CSV row with dotted column names).
 * From this TypeBox definition come the TypeScript type (`ManifestLine`), the published JSON Schema
 * (`docs/manifest.schema.json`, kept in step by a test), the structural check (`checkManifestShape`, compiled
 * from it) and the CSV column list. What a JSON Schema cannot say (check digits, assigned
 * country codes, the consignee's postcode per destination country, currency decimals) is checked in `validate.ts`.
 *
 * Identifiers and codes are lenient on input, as the domain parsers are (lower case, spaces, hyphens);
 * they are stored in canonical form. Unknown fields are refused: a misspelt optional field (`iossNumbr`)
 * would otherwise be dropped without a word.
 */
import { Type, type Static } from 'typebox';
import { compileShape, type ShapeError } from './shape.js';

/** The most items one parcel may list (CSV: columns `items.0.…` to `items.99.…`). */
export const MAX_ITEMS = 100;
/** The heaviest parcel accepted, in kg. */
export const MAX_MASS_KG = 1000;

const text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });
const country = (description: string) =>
  Type.String({ minLength: 1, maxLength: 8, description: `${description}: ISO 3166-1 alpha-2 code, e.g. "BE"` });

// The address is optional (older manifests have none) but an H7 declaration needs it. Its postcode is free
// text: foreign formats are not checked here, and it does not drive sorting as the consignee's does.
export const SellerSchema = Type.Object(
  {
    name: text(200, "The seller's name (personal data: sealed in the vault)"),
    street: Type.Optional(text(200, 'Street and number (personal data); needed for the H7 declaration')),
    postcode: Type.Optional(text(16, 'Postcode as the seller writes it (personal data): free text, not checked against a country\'s format')),
    city: Type.Optional(text(100, 'Personal data; needed for the H7 declaration')),
    country: country("The seller's country"),
  },
  { additionalProperties: false },
);

export const ConsigneeSchema = Type.Object(
  {
    name: text(200, 'Personal data, sealed in the vault; never stored or echoed in clear'),
    street: text(200, 'Street and number (personal data)'),
    postcode: Type.String({ minLength: 1, maxLength: 16, description: 'Checked against the format of `country`; stored in canonical form (it drives sorting)' }),
    city: text(100, 'Personal data'),
    country: country('Destination country'),
    email: Type.Optional(Type.String({ maxLength: 254, format: 'email', description: 'Personal data' })),
    phone: Type.Optional(
      Type.String({
        maxLength: 32,
        pattern: '^\\+?[0-9 ()./-]+$',
        description: 'Personal data: digits with an optional leading "+", spaces, ( ) . / - ; 6 to 15 digits',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ItemSchema = Type.Object(
  {
    description: text(512, 'Plain-language description of the goods (stored in clear for customs)'),
    hsCode: Type.String({ minLength: 1, maxLength: 24, description: 'HS (6 digits), CN (8) or TARIC (10) code; dots and spaces allowed, e.g. "8517.12"' }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    value: Type.String({
      maxLength: 24,
      pattern: '^[0-9]+(\\.[0-9]+)?$',
      description: 'Unit value as a decimal string, at most the decimals of `currency` (e.g. "12.50" EUR, "1200" JPY)',
    }),
    currency: Type.String({ minLength: 1, maxLength: 8, description: 'ISO 4217 code, e.g. "EUR"' }),
    originCountry: country('Country of origin of the goods'),
  },
  { additionalProperties: false },
);

export const ManifestLineSchema = Type.Object(
  {
    flight: Type.String({ minLength: 1, maxLength: 16, description: 'IATA flight designator: 2-character airline code, 1–4 digits, optional suffix letter, e.g. "CK231"' }),
    flightDate: Type.Optional(Type.String({ format: 'date', description: 'Scheduled date (YYYY-MM-DD, UTC); default: the UTC date of the import' })),
    awb: Type.String({ minLength: 1, maxLength: 20, description: 'IATA air waybill number with its check digit, e.g. "112-12345675"' }),
    uld: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'IATA ULD identifier, e.g. "AKE12345CK"' })),
    trackingNumber: Type.String({ minLength: 1, maxLength: 24, description: 'UPU S10 identifier with its check digit, e.g. "RR473124829GB"; the parcel\'s key' }),
    seller: SellerSchema,
    consignee: ConsigneeSchema,
    items: Type.Array(ItemSchema, { minItems: 1, maxItems: MAX_ITEMS }),
    grossMassKg: Type.Number({ exclusiveMinimum: 0, maximum: MAX_MASS_KG, description: 'Gross mass in kg, to the gram at most (3 decimals)' }),
    iossNumber: Type.Optional(Type.String({ pattern: '^IM[0-9]{10}$', description: 'EU IOSS identification number: "IM" and 10 digits' })),
  },
  { additionalProperties: false },
);

/** One manifest line as written by the sender, before the checks of `validate.ts`. */
export type ManifestLine = Static<typeof ManifestLineSchema>;
export type ManifestItem = Static<typeof ItemSchema>;

const shape = compileShape(ManifestLineSchema);

/** The structural check (types, required and unknown fields, lengths, patterns, formats). Never throws. */
export function checkManifestShape(value: unknown): value is ManifestLine {
  return shape.check(value);
}

/** Every structural error of `value`; only called for a value `checkManifestShape` refused. */
export function manifestShapeErrors(value: unknown): readonly ShapeError[] {
  return shape.errors(value);
}

export const MANIFEST_SCHEMA_ID = 'https://glasshub.dev/schemas/manifest-line.json';

/** The JSON Schema published at docs/manifest.schema.json and served by the API. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: MANIFEST_SCHEMA_ID,
    title: 'glasshub manifest line',
    description:
      "One parcel of an inbound manifest. A manifest is newline-delimited JSON (one such object per line) or CSV with the same fields as dotted column names (docs/manifest.md). Check digits, country and currency codes and the consignee's postcode format are checked beyond this schema.",
    ...(JSON.parse(JSON.stringify(ManifestLineSchema)) as Record<string, unknown>),
  };
}
