import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { QUEUES } from '../../../libs/queues';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, isAdmin } from '../auth';
import { OutboxService } from '../jobs';
import { OrganizationsService } from '../organizations';
import { encryptSecret, generateWebhookSecret } from './domain/webhook-crypto';
import type { CreateWebhookDto } from './dto/create-webhook.dto';
import { Notification } from './notification.entity';
import { WebhookAddressGuard } from './webhook-address-guard';
import { deliveryJobId, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

/** What a feature sends. At least one recipient: the organisation, and/or the regulators of a region. */
export interface NotifyInput {
  /** The organisation concerned (owner of the batch, holder of the certificate). */
  organizationId?: string | null;
  /** Also notify every regulator organisation whose jurisdiction covers this GB/T 2260 code. */
  regionCode?: string | null;
  /** Recipients already told of the same event (by an earlier notify for another region): skipped. */
  exceptOrganizationIds?: string[];
  /** e.g. batch.on_hold, batch.recalled, certificate.voided, recall.affected */
  kind: string;
  subject: { type: string; id: string };
  /** Public-safe facts for the receiver (ids, codes, reasons; never personal data). */
  payload: Record<string, unknown>;
}

export interface WebhookView {
  id: string;
  url: string;
  kinds: string[] | null;
  secretPrefix: string;
  createdAt: string;
}

export interface NotificationView {
  id: string;
  kind: string;
  subject: { type: string; id: string };
  regionCode: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  deliveries: { id: string; subscriptionId: string; status: string; attempts: number; deliveredAt: string | null; lastError: string | null }[];
}

const KIND = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(WebhookSubscription) private readonly subscriptions: Repository<WebhookSubscription>,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly organizations: OrganizationsService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly targets: WebhookAddressGuard,
  ) {}

  /**
   * Records a notification for each recipient in the caller's transaction, and one delivery job
   * (through the outbox) per matching webhook subscription. Nothing is sent unless the caller
   * commits; delivery starts when the outbox relays (call `deliverSoon()` after committing to
   * skip the relay's poll interval).
   */
  async notify(manager: EntityManager, input: NotifyInput): Promise<{ notificationIds: string[]; recipientIds: string[]; deliveries: number }> {
    if (!KIND.test(input.kind) || input.kind.length > 60) throw new Error(`notify: bad kind ${input.kind}`);
    const recipients = new Set<string>();
    if (input.organizationId) recipients.add(input.organizationId);
    if (input.regionCode) for (const id of await this.organizations.regulatorIdsCovering(input.regionCode, manager)) recipients.add(id);
    if (!input.organizationId && !input.regionCode) throw new Error('notify: needs organizationId or regionCode');
    for (const id of input.exceptOrganizationIds ?? []) recipients.delete(id);
    if (recipients.size === 0) return { notificationIds: [], recipientIds: [], deliveries: 0 };

    const subs = await manager.find(WebhookSubscription, { where: { organizationId: In([...recipients]), deletedAt: IsNull() } });
    const notificationIds: string[] = [];
    let deliveries = 0;
    for (const organizationId of recipients) {
      const notification = await manager.save(manager.create(Notification, {
        organizationId, kind: input.kind, subjectType: input.subject.type, subjectId: input.subject.id,
        regionCode: input.regionCode ?? null, payload: input.payload,
      }));
      notificationIds.push(notification.id);
      for (const sub of subs) {
        if (sub.organizationId !== organizationId || (sub.kinds && !sub.kinds.includes(input.kind))) continue;
        const [row] = await manager.query(
          `INSERT INTO webhook_deliveries (notification_id, subscription_id) VALUES ($1, $2)
           ON CONFLICT (notification_id, subscription_id) DO NOTHING RETURNING id`,
          [notification.id, sub.id],
        ) as { id: string }[];
        if (!row) continue;
        await this.outbox.add(manager, QUEUES.webhookDelivery, deliveryJobId(notification.id, sub.id), { deliveryId: row.id });
        deliveries++;
      }
    }
    return { notificationIds, recipientIds: [...recipients], deliveries };
  }

  /** Relays recorded deliveries now (after the notifying transaction committed). */
  deliverSoon(): void {
    void this.outbox.poke();
  }

  async createWebhook(actor: Actor, dto: CreateWebhookDto): Promise<WebhookView & { secret: string }> {
    const organizationId = this.requireOrg(actor);
    const refusal = await this.targets.refusalAtCreation(dto.url);
    if (refusal) throw new DomainError('VALIDATION_FAILED', `url must be a public address of another machine: ${refusal}`, { field: 'url', rule: 'public_address' });
    const secret = generateWebhookSecret();
    const saved = await this.subscriptions.manager.transaction((m) => m.save(m.create(WebhookSubscription, {
      organizationId, url: dto.url, kinds: dto.kinds && dto.kinds.length > 0 ? dto.kinds : null,
      secretEncrypted: encryptSecret(this.config.secretKey, secret), secretPrefix: secret.slice(0, 10),
    })));
    return { ...toWebhookView(saved), secret };
  }

  async listWebhooks(actor: Actor, limit = 50, cursor?: string): Promise<Page<WebhookView>> {
    const organizationId = this.requireOrg(actor);
    const qb = this.subscriptions.createQueryBuilder('w').where('w.organization_id = :org AND w.deleted_at IS NULL', { org: organizationId });
    return listPage(qb, 'w', limit, cursor, toWebhookView);
  }

  /** Stops deliveries to the endpoint (kept, with its delivery history). */
  async deleteWebhook(actor: Actor, id: string): Promise<void> {
    const organizationId = this.requireOrg(actor);
    const sub = isUuid(id) ? await this.subscriptions.findOneBy({ id, organizationId, deletedAt: IsNull() }) : null;
    if (!sub) throw new DomainError('NOT_FOUND', 'Webhook not found');
    sub.deletedAt = new Date();
    await this.subscriptions.manager.transaction((m) => m.save(sub));
  }

  /** The caller's organisation's notifications, newest first, with their delivery states. */
  async listNotifications(actor: Actor, limit = 50, cursor?: string): Promise<Page<NotificationView>> {
    const qb = this.notifications.createQueryBuilder('n');
    if (!isAdmin(actor)) qb.where('n.organization_id = :org', { org: this.requireOrg(actor) });
    const page = await listPage(qb, 'n', limit, cursor, (n) => n);
    const rows = page.items.length ? await this.deliveries.find({ where: { notificationId: In(page.items.map((n) => n.id)) }, order: { createdAt: 'ASC' } }) : [];
    return {
      items: page.items.map((n) => ({
        id: n.id, kind: n.kind, subject: { type: n.subjectType, id: n.subjectId }, regionCode: n.regionCode, payload: n.payload,
        createdAt: n.createdAt.toISOString(),
        deliveries: rows.filter((d) => d.notificationId === n.id).map((d) => ({
          id: d.id, subscriptionId: d.subscriptionId, status: d.status, attempts: d.attempts, deliveredAt: d.deliveredAt?.toISOString() ?? null,
          lastError: d.attemptLog.at(-1)?.error ?? null,
        })),
      })),
      nextCursor: page.nextCursor,
    };
  }

  private requireOrg(actor: Actor): string {
    if (!actor.organizationId) throw new DomainError('FORBIDDEN', 'Webhooks and notifications belong to an organisation; use an organisation key');
    return actor.organizationId;
  }
}

function toWebhookView(w: WebhookSubscription): WebhookView {
  return { id: w.id, url: w.url, kinds: w.kinds, secretPrefix: w.secretPrefix, createdAt: w.createdAt.toISOString() };
}
