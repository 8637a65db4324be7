import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { DomainError } from '../../libs/errors';
import { TEXT_RULES, textProblem } from './text-rules';

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

const MULTILINE = Symbol('multiline');

/**
 * Marks free text (a reason, a description of controls) that may hold line breaks and tabs. Every
 * other string of a DTO is one line: names and codes go onto labels, where a line break or a
 * control character breaks the print job.
 */
export function MultiLine(): PropertyDecorator {
  return (target, key) => {
    const own = (Reflect.getOwnMetadata(MULTILINE, target) as (string | symbol)[] | undefined) ?? [...((Reflect.getMetadata(MULTILINE, target) as (string | symbol)[] | undefined) ?? [])];
    Reflect.defineMetadata(MULTILINE, [...own, key], target);
  };
}

function isMultiLine(owner: object, key: string): boolean {
  return ((Reflect.getMetadata(MULTILINE, owner) as (string | symbol)[] | undefined) ?? []).includes(key);
}

/**
 * The text rules (src/common/text-rules.ts) for every string of a validated DTO, nested ones
 * included, as class-validator errors: one rule for all fields instead of a decorator on each.
 */
export function textErrors(dto: object, depth = 0): ValidationError[] {
  if (depth > 32) return [];
  const errors: ValidationError[] = [];
  for (const [key, value] of Object.entries(dto)) {
    const error = textError(key, value, isMultiLine(dto, key), depth);
    if (error) errors.push(error);
  }
  return errors;
}

function textError(property: string, value: unknown, multiline: boolean, depth: number): ValidationError | undefined {
  if (typeof value === 'string') {
    const rule = textProblem(value, multiline);
    return rule ? { property, value, constraints: { [rule]: `${property} ${TEXT_RULES[rule]}` }, children: [] } : undefined;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  const children = Array.isArray(value)
    ? value.map((item, i) => textError(String(i), item, multiline, depth + 1)).filter((e): e is ValidationError => e !== undefined)
    : textErrors(value, depth + 1);
  return children.length ? { property, children } : undefined;
}

class TextRulesValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    return [...await super.validate(object, validatorOptions), ...textErrors(object)];
  }
}

/**
 * Whitelisting validation for every body and query: unknown fields are refused (a typo should
 * not silently drop data), and the 400 names each field and the rule it broke.
 */
export function createValidationPipe(): ValidationPipe {
  return new TextRulesValidationPipe({
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
