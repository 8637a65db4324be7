import type { Declared, ErrorStatuses } from '../../../libs/errors';

/** The error codes of the input catalogue, farm records (农事记录) and the safe-interval gate. */
export const FARM_INPUTS_ERRORS = {
  INVALID_REGISTRATION_NUMBER: 400,
  INVALID_LABEL_CODE: 400,
  LABEL_CODE_MISMATCH: 422,
  INVALID_EAR_TAG: 400,
  INVALID_DOSE: 400,
  INPUT_IMPORT_REJECTED: 422,
  DUPLICATE_INPUT: 409,
  APPLICATION_VOIDED: 409,
  APPLICATION_IMMUTABLE: 409,
  RECORD_RETAINED: 409,
  /** A batch harvested inside an application's 安全间隔期 / 休药期 on its site and crop. */
  PHI_NOT_ELAPSED: 422,
  /** A banned (禁用) input recorded on the site and crop of an edible batch. */
  INPUT_BANNED: 422,
} as const satisfies ErrorStatuses;

declare module '../../../libs/errors/error-codes' {
  interface ErrorCodeRegistry extends Declared<typeof FARM_INPUTS_ERRORS> {}
}
