/**
 * `hub/views`: read models for the web console's operations views — the flights board, throughput, lane
 * fill, floor exceptions and dispatch status. They read hub tables directly (none holds personal data) with
 * grouped queries, and change nothing.
 */
export { flightsBoard, type FlightBoardQuery, type FlightBoardRow } from './flights.js';
export { throughput, type Throughput } from './throughput.js';
export { dispatchStatus, laneFill, type LaneFill, type TruckStatusRow } from './floor.js';
export { floorExceptions, type ExceptionItem, type ExceptionKind, type Exceptions } from './exceptions.js';
