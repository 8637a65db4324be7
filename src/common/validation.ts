import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../../libs/errors';

interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Whitelisting validation for every body and query: unknown fields are refused (a typo should
 * not silently drop data), and the 400 names each field and the rule it broke.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const first = fields[0];
      return new DomainError(
        'VALIDATION_FAILED',
        first ? `${first.field}: ${first.message}` : 'Request is invalid',
        { fields },
      );
    },
  });
}
