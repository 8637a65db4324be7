import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Actor } from '../auth/actor';
import { auditActorOf, runAsAuditActor } from './audit-context';

/**
 * Runs each authenticated request's handler as its actor, so every change it makes is recorded
 * with who made it. (An interceptor rather than the guard: AsyncLocalStorage context set inside
 * the guard would not reach the handler, which Nest calls after the guard's promise settles.)
 */
@Injectable()
export class AuditContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actor = context.getType() === 'http' ? context.switchToHttp().getRequest<{ actor?: Actor }>().actor : undefined;
    if (!actor) return next.handle();
    const auditActor = auditActorOf(actor);
    return new Observable((subscriber) => runAsAuditActor(auditActor, () => next.handle().subscribe(subscriber)));
  }
}
