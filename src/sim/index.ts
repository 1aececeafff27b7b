/**
 * `sim/`: a deterministic simulator of the hub's inbound freight (seeded manifests of e-commerce
 * freighters) and the run of a flight through the hub, for `glasshub demo` and `npm run bench -- hub`.
 */
export { hashSeed, Prng, Weighted } from './prng.js';
export { EU_DESTINATIONS, EU_PEOPLE, person, type CountryPeople, type Person } from './people.js';
export { AIRLINES, CURRENCIES, PRODUCTS, SCHEDULE, Sellers, type Airline, type Product, type Seller } from './goods.js';
export { DEFECTS, flightUlds, manifestLines, postcodeFor, simulateLines, uldCount, type Defect, type FlightSpec, type SimLine } from './manifest.js';
export { BAGS_PER_TRUCK, PARCELS_PER_BAG, PHASES, runFlight, type FlightRun, type Phase, type RunHooks, type RunWithoutGate } from './run.js';
