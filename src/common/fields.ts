import { DomainError } from '../../libs/errors';

/**
 * Runs a pure check and reports its errors under the API's field name (libraries name fields
 * generically, e.g. `lot`; the client sent `lotCode`).
 */
export function asField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) {
      throw new DomainError(error.code, error.message, { ...error.details, field });
    }
    throw error;
  }
}
