import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of online listings. Add a code here to throw it. */
export const LISTINGS_ERRORS = {
  LISTING_DUPLICATE: 409,
  /** In a mandatory category a listing may only point at batches with a valid 承诺达标合格证. */
  LISTING_CERTIFICATE_REQUIRED: 422,
  LISTING_BATCH_NOT_SELLABLE: 422,
  LISTING_BATCH_WRONG_PRODUCT: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof LISTINGS_ERRORS> {}
}
