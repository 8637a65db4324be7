import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ErrorCode } from '../libs/errors';
import { declaredErrorCodes, ERROR_DETAILS_SCHEMA, withErrorResponses } from './common/api-error-codes';
import { PUBLIC_KEY, ROLES_KEY } from './modules/auth/auth.decorators';

type Operation = OpenAPIObject['paths'][string]['get'] & object;

/**
 * Lists every route's possible error codes in the OpenAPI document: those declared on the route or
 * its controller with @ApiErrorCodes (what its service throws), plus those the framework answers
 * with around it, read from the same metadata the guards and pipes use — so a new route documents
 * them without anyone remembering to: 401 unless @Public, 403 when @Roles limits it, 400 when it
 * takes a validated DTO, the body parser's 400/413/415 when it takes a body, and 500 everywhere (a
 * bug, but one with the same body).
 */
export function documentErrorCodes(app: INestApplication, document: OpenAPIObject): void {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorDetails: ERROR_DETAILS_SCHEMA } };
  const operations = operationsById(document);
  for (const controller of controllers(app)) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      for (const operation of operations.get(`${controller.name}_${method}`) ?? []) {
        const handler = controller.prototype[method] as object;
        const codes = new Set([
          ...frameworkCodes(controller, method, operation),
          ...declaredErrorCodes(controller),
          ...declaredErrorCodes(handler),
        ]);
        operation.responses = withErrorResponses(operation.responses ?? {}, codes);
      }
    }
  }
}

function frameworkCodes(controller: Type, method: string, operation: Operation): ErrorCode[] {
  const handler = controller.prototype[method] as object;
  const meta = (key: string): unknown => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  const codes: ErrorCode[] = ['INTERNAL_ERROR'];
  if (!meta(PUBLIC_KEY)) codes.push('UNAUTHENTICATED');
  if (meta(ROLES_KEY)) codes.push('FORBIDDEN');
  const params = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as unknown[];
  if (params.some(isValidatedDto)) codes.push('VALIDATION_FAILED');
  const body = operation.requestBody as { content?: Record<string, unknown> } | undefined;
  if (body) codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (body?.content?.['application/json']) codes.push('MALFORMED_JSON');
  return codes;
}

function isValidatedDto(type: unknown): boolean {
  return typeof type === 'function' && getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
}

function controllers(app: INestApplication): Type[] {
  return [...app.get(ModulesContainer).values()]
    .flatMap((module) => [...module.controllers.values()])
    .map((wrapper) => wrapper.metatype as Type);
}

function operationsById(document: OpenAPIObject): Map<string, Operation[]> {
  const byId = new Map<string, Operation[]>();
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (operation?.operationId) byId.set(operation.operationId, [...(byId.get(operation.operationId) ?? []), operation]);
    }
  }
  return byId;
}
