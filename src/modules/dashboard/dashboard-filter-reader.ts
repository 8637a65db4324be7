import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../../libs/errors';
import { statusForCode } from '../../error-codes';
import type { Actor } from '../auth';
import { html, formState } from '../console';
import type { ConsoleContext } from '../console';
import { chinaDate } from '../../../libs/codes/calendar-date';
import { DashboardService } from './dashboard.service';
import { DashboardFilters, FILTER_FIELDS, filterMessage, parseFilters } from './domain/filters';
import { regionsWithin } from './domain/jurisdiction';
import { FilterForm, filterProblemPage } from './views/dashboard-pages';

export interface Filtered {
  filters: DashboardFilters;
  form: FilterForm;
}

const LEVEL_DEPTH = { province: 0, prefecture: 1, county: 2 } as const;

/** A regulator chooses among its jurisdiction and what lies inside it; producers have no region to choose. */
function regionChoices(actor: Actor): [string, string][] | null {
  if (actor.role !== 'regulator' || !actor.regionCode) return null;
  const regions = regionsWithin(actor.regionCode);
  const top = LEVEL_DEPTH[regions[0]?.level ?? 'province'];
  return regions.map((r) => [r.code, `${'　'.repeat(LEVEL_DEPTH[r.level] - top)}${r.name}`]);
}

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

/**
 * Reads a dashboard URL's filters. A bad filter (a malformed month, an unknown region or category)
 * answers 400 with the form again and the problem next to its field; JSON callers get the error
 * body from the console's exception filter. Anything else (a region outside the jurisdiction: 404)
 * is thrown as usual.
 */
@Injectable()
export class DashboardFilterReader {
  constructor(private readonly dashboard: DashboardService) {}

  async read(ctx: ConsoleContext, request: FastifyRequest, reply: FastifyReply, path: string, query: Record<string, unknown>): Promise<Filtered | null> {
    const categories = await this.dashboard.categories();
    const regions = regionChoices(ctx.actor);
    try {
      const filters = await this.dashboard.check(ctx.actor, parseFilters(query, chinaDate(new Date())), categories);
      const values = {
        region: filters.region ?? ctx.actor.regionCode ?? '', from: filters.from, to: filters.to, category: filters.category ?? '', period: filters.period,
      };
      return { filters, form: { action: path, state: formState(values), regions, categories } };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const field = error.code !== 'NOT_FOUND' ? error.details?.field : undefined;
      if (typeof field !== 'string' || !(FILTER_FIELDS as readonly string[]).includes(field) || wantsJson(request)) throw error;
      const rule = error.details?.rule ?? '';
      const values = Object.fromEntries(FILTER_FIELDS.map((k) => [k, typeof query[k] === 'string' ? query[k] : '']));
      const form: FilterForm = { action: path, state: formState(values, { fields: { [field]: filterMessage(field, rule) }, general: null }), regions, categories };
      void html(reply, filterProblemPage(ctx, path, form), statusForCode(error.code));
      return null;
    }
  }
}
