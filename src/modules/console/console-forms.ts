import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ValidationError } from '@nestjs/common';
import { DomainError, isDomainError } from '../../../libs/errors';
import { textErrors } from '../../common/validation';
import { FormProblems, formProblems } from './domain/error-messages';

type Ctor<T> = new () => T;

function flatten(errors: ValidationError[], prefix = ''): { field: string; rule: string; message: string }[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field: name, rule, message }));
    return [...own, ...flatten(error.children ?? [], name)];
  });
}

/** The same validation the API's global pipe applies, on a plain object built from a form. */
export async function toDto<T extends object>(type: Ctor<T>, plain: Record<string, unknown>): Promise<T> {
  const dto = plainToInstance(type, plain);
  const errors: ValidationError[] = [...await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false }), ...textErrors(dto)];
  if (errors.length) throw new DomainError('VALIDATION_FAILED', 'Request is invalid', { fields: flatten(errors) });
  return dto;
}

export type Attempt<R> = { ok: true; result: R } | { ok: false; problems: FormProblems; code: string };

/**
 * Runs a form's action through the API's DTO and service; a refusal comes back as problems by
 * form field (the API's error codes in Chinese) so the form can be shown again as typed.
 */
export async function attempt<T extends object, R>(
  type: Ctor<T>, plain: Record<string, unknown>, formFields: string[], work: (dto: T) => Promise<R>,
  aliases: Record<string, string> = {},
): Promise<Attempt<R>> {
  try {
    return { ok: true, result: await work(await toDto(type, plain)) };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, problems: formProblems(error, formFields, aliases), code: error.code };
    throw error;
  }
}

/** Optional text fields: an empty input means "not given". */
export function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * A datetime-local input (China wall time, no zone: `2026-11-20T09:30`, seconds when the input has
 * a step) as the ISO instant the API takes; empty means "not given", anything else goes on as typed
 * so the DTO names the field and the rule.
 */
export function chinaInstant(typed: string): string | undefined {
  if (typed === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(typed) ? `${typed.length === 16 ? `${typed}:00` : typed}+08:00` : typed;
}

/** A create form's one-time key (the services' Idempotency-Key), new for every form rendered. */
export function newKey(): string {
  return randomBytes(18).toString('base64url');
}

/** A number typed in a form, or the text as typed (the DTO then names the field and the rule). */
export function decimalOrText(v: string): unknown {
  return v === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}
