import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { IsNull, LessThan, Repository } from 'typeorm';
import type { FastifyReply } from 'fastify';
import { field, FormBody, html, redirect } from './console-http';
import { ConsoleSubmission } from './console-submission.entity';

export type Claim = { first: true } | { first: false; resultPath: string | null };

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Once-only form submits without holding a transaction across the work (the embedded database has
 * a single connection, so the work must be free to use it).
 */
@Injectable()
export class ConsoleSubmissionsService {
  constructor(@InjectRepository(ConsoleSubmission) private readonly rows: Repository<ConsoleSubmission>) {}

  /** Claims the form's key; a repeat learns where the first submit went (waiting briefly for it). */
  async claim(userId: string, formKey: string): Promise<Claim> {
    if (!KEY.test(formKey)) return { first: true };
    // A form key only matters for minutes; the person's rows older than a day go.
    await this.rows.delete({ userId, createdAt: LessThan(new Date(Date.now() - 86_400_000)) });
    const inserted = await this.rows.createQueryBuilder().insert().into(ConsoleSubmission)
      .values({ userId, formKey, resultPath: null }).orIgnore().returning(['form_key']).execute();
    if ((inserted.raw as unknown[]).length > 0) return { first: true };
    for (let i = 0; i < 50; i++) {
      const row = await this.rows.findOneBy({ userId, formKey });
      if (!row || row.resultPath) return { first: false, resultPath: row?.resultPath ?? null };
      await sleep(100);
    }
    return { first: false, resultPath: null };
  }

  async done(userId: string, formKey: string, resultPath: string): Promise<void> {
    if (KEY.test(formKey)) await this.rows.update({ userId, formKey }, { resultPath });
  }

  /** A refused submit frees its key: the person corrects the form and sends it again. */
  async release(userId: string, formKey: string): Promise<void> {
    if (KEY.test(formKey)) await this.rows.delete({ userId, formKey, resultPath: IsNull() });
  }
}

/** What a create form's work ends in: where to go (303), or the form shown again with its problems (422). */
export type Submitted = { path: string } | { page: string; code: string };

/**
 * Runs a create once per rendered form: a second submit with the same key goes where the first
 * went. A refused submit frees the key and shows the form again, as typed, with the problems.
 */
export async function submitOnce(submissions: ConsoleSubmissionsService, userId: string, body: FormBody, reply: FastifyReply,
  work: () => Promise<Submitted>): Promise<FastifyReply> {
  const key = field(body, '_key');
  const claim = await submissions.claim(userId, key);
  if (!claim.first) return redirect(reply, claim.resultPath ?? '/app');
  try {
    const result = await work();
    if ('path' in result) {
      await submissions.done(userId, key, result.path);
      return redirect(reply, result.path);
    }
    await submissions.release(userId, key);
    return html(reply, result.page, 422);
  } catch (error) {
    await submissions.release(userId, key);
    throw error;
  }
}
