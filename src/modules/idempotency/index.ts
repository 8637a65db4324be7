// The public surface of idempotency: other features import only from here (npm run lint checks).
export { IdempotencyModule } from './idempotency.module';
export { IdempotencyService } from './idempotency.service';
