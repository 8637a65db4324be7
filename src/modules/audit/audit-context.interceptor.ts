import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Actor } from '../auth';
import { auditActorOf, runAsAuditActor } from './audit-context';

/**
 * Runs each request's handler in an audit scope: as the API key's actor when the guard found one,
 * else unnamed until the handler binds one (console pages resolve their session themselves), so
 * every change it makes is recorded with who made it. (An interceptor rather than the guard:
 * AsyncLocalStorage context set inside the guard would not reach the handler, which Nest calls
 * after the guard's promise settles.)
 */
@Injectable()
export class AuditContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
    const auditActor = actor ? auditActorOf(actor) : null;
    return new Observable((subscriber) => runAsAuditActor(auditActor, () => next.handle().subscribe(subscriber)));
  }
}
