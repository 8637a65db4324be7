import { COMMON_ERRORS, type ErrorCode, type ErrorStatus, mergeErrorTables } from '../libs/errors';
import { CODES_ERRORS } from '../libs/codes/codes.errors';
import { CSV_ERRORS } from '../libs/csv/csv.errors';
import { EPCIS_ERRORS } from '../libs/epcis/epcis.errors';
import { LABELS_ERRORS } from '../libs/labels/labels.errors';
import { QUANTITY_ERRORS } from '../libs/quantity/quantity.errors';
import { AUDIT_ERRORS } from './modules/audit/audit.errors';
import { AUTH_ERRORS } from './modules/auth/auth.errors';
import { BATCHES_ERRORS } from './modules/batches/batches.errors';
import { CATEGORIES_ERRORS } from './modules/categories/categories.errors';
import { CERTIFICATES_ERRORS } from './modules/certificates/certificates.errors';
import { CONSOLE_ERRORS } from './modules/console/console.errors';
import { DISPOSALS_ERRORS } from './modules/disposals/disposals.errors';
import { EVENTS_ERRORS } from './modules/events/events.errors';
import { FARM_INPUTS_ERRORS } from './modules/farm-inputs/farm-inputs.errors';
import { FILES_ERRORS } from './modules/files/files.errors';
import { GI_ERRORS } from './modules/gi/gi.errors';
import { INSPECTIONS_ERRORS } from './modules/inspections/inspections.errors';
import { IDEMPOTENCY_ERRORS } from './modules/idempotency/idempotency.errors';
import { LABEL_RUNS_ERRORS } from './modules/labels/labels.errors';
import { LIMITS_ERRORS } from './modules/limits/limits.errors';
import { LISTINGS_ERRORS } from './modules/listings/listings.errors';
import { MARKETS_ERRORS } from './modules/markets/markets.errors';
import { LOGISTICS_ERRORS } from './modules/logistics/logistics.errors';
import { MARKET_SAMPLING_ERRORS } from './modules/market-sampling/market-sampling.errors';
import { MARKS_ERRORS } from './modules/marks/marks.errors';
import { ORGANIZATIONS_ERRORS } from './modules/organizations/organizations.errors';
import { PRODUCTS_ERRORS } from './modules/products/products.errors';
import { RECALLS_ERRORS } from './modules/recalls/recalls.errors';
import { RISK_GRADES_ERRORS } from './modules/risk-grades/risk-grades.errors';
import { REGIONS_ERRORS } from './modules/regions/regions.errors';
import { SAMPLING_ERRORS } from './modules/sampling/sampling.errors';
import { SITES_ERRORS } from './modules/sites/sites.errors';
import { TEST_RECORDS_ERRORS } from './modules/test-records/test-records.errors';

/**
 * Every declared error code → its HTTP status, joined from the declarations (see
 * libs/errors/error-codes.ts). Typed as complete: an errors file whose table is missing here does
 * not compile. Like app.module.ts, this central list names every feature by design.
 */
export const ERROR_STATUSES: { readonly [C in ErrorCode]: ErrorStatus } = mergeErrorTables(
  COMMON_ERRORS,
  CODES_ERRORS,
  CSV_ERRORS,
  EPCIS_ERRORS,
  LABELS_ERRORS,
  QUANTITY_ERRORS,
  AUDIT_ERRORS,
  AUTH_ERRORS,
  BATCHES_ERRORS,
  CATEGORIES_ERRORS,
  CERTIFICATES_ERRORS,
  CONSOLE_ERRORS,
  DISPOSALS_ERRORS,
  EVENTS_ERRORS,
  FARM_INPUTS_ERRORS,
  FILES_ERRORS,
  GI_ERRORS,
  INSPECTIONS_ERRORS,
  IDEMPOTENCY_ERRORS,
  LABEL_RUNS_ERRORS,
  LIMITS_ERRORS,
  LISTINGS_ERRORS,
  MARKETS_ERRORS,
  MARKET_SAMPLING_ERRORS,
  LOGISTICS_ERRORS,
  MARKS_ERRORS,
  ORGANIZATIONS_ERRORS,
  PRODUCTS_ERRORS,
  RECALLS_ERRORS,
  REGIONS_ERRORS,
  RISK_GRADES_ERRORS,
  SAMPLING_ERRORS,
  SITES_ERRORS,
  TEST_RECORDS_ERRORS,
);

export function statusForCode(code: ErrorCode): ErrorStatus {
  return ERROR_STATUSES[code];
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_STATUSES, value);
}
