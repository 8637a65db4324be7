import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUniqueViolation } from '../../common/db-errors';
import { isUuid } from '../../common/ids';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { itemsProblem, templateCodeProblem, type Problem } from './domain';
import { CreateTemplateDto } from './dto/inspection.dto';
import { InspectionTemplate } from './inspection.entity';

export interface TemplateView {
  id: string;
  code: string;
  version: number;
  name: string;
  items: { key: string; text: string }[];
  source: string;
  verified: boolean;
  status: 'draft' | 'published';
  publishedAt: string | null;
  createdAt: string;
}

function invalid(problem: Problem): DomainError {
  return new DomainError('INVALID_CHECKLIST', `${problem.field}: ${problem.message}`, { field: problem.field, rule: problem.rule });
}

/**
 * Checklist templates: versions of a sheet, as data. The platform admin and provincial regulators
 * (whose checklist applies province-wide) write them; everyone signed in reads them. A published
 * version is immutable (also in the database: a trigger refuses changing one).
 */
@Injectable()
export class InspectionTemplatesService {
  constructor(
    @InjectRepository(InspectionTemplate) private readonly templates: Repository<InspectionTemplate>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(): Promise<TemplateView[]> {
    const rows = await this.templates.find({ order: { code: 'ASC', version: 'DESC' } });
    return rows.map((t) => this.view(t));
  }

  async get(id: string): Promise<TemplateView> {
    return this.view(await this.find(id));
  }

  /** The newest published version of each checklist (what inspectors choose from). */
  async published(): Promise<TemplateView[]> {
    const rows = await this.templates.createQueryBuilder('t').distinctOn(['t.code'])
      .where("t.status = 'published'").orderBy('t.code').addOrderBy('t.version', 'DESC').getMany();
    return rows.map((t) => this.view(t));
  }

  /** A new version (a draft) of the checklist `code`: version 1, or one more than the newest. */
  async create(actor: Actor, dto: CreateTemplateDto): Promise<TemplateView> {
    this.assertEditor(actor);
    const problem = templateCodeProblem(dto.code) ?? itemsProblem(dto.items);
    if (problem) throw invalid(problem);
    try {
      return await this.dataSource.transaction(async (m) => {
        const [{ next }] = await m.query('SELECT coalesce(max(version), 0) + 1 AS next FROM inspection_templates WHERE code = $1', [dto.code]) as { next: number }[];
        const saved = await m.save(m.create(InspectionTemplate, {
          code: dto.code, version: next, name: dto.name.trim(), items: dto.items.map((i) => ({ key: i.key, text: i.text.trim() })),
          source: dto.source.trim(), verified: dto.verified ?? false, status: 'draft', createdByOrganizationId: actor.organizationId, publishedAt: null,
        }));
        return this.view(saved);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `Another version of ${dto.code} was created at the same time: retry`);
      throw error;
    }
  }

  /** Replaces a draft's name, items, source and verified flag. */
  async update(actor: Actor, id: string, dto: CreateTemplateDto): Promise<TemplateView> {
    this.assertEditor(actor);
    const row = await this.find(id);
    if (row.status === 'published') throw new DomainError('TEMPLATE_PUBLISHED', `Version ${row.version} of ${row.code} is published and cannot change: create a new version`);
    if (dto.code !== row.code) throw invalid({ field: 'code', rule: 'unchanged', message: `a version keeps its checklist's code (${row.code})` });
    const problem = itemsProblem(dto.items);
    if (problem) throw invalid(problem);
    Object.assign(row, { name: dto.name.trim(), items: dto.items.map((i) => ({ key: i.key, text: i.text.trim() })), source: dto.source.trim(), verified: dto.verified ?? false });
    return this.view(await this.templates.save(row));
  }

  async publish(actor: Actor, id: string): Promise<TemplateView> {
    this.assertEditor(actor);
    const row = await this.find(id);
    if (row.status === 'published') return this.view(row);
    row.status = 'published';
    row.publishedAt = new Date();
    return this.view(await this.templates.save(row));
  }

  /** A published version, for an inspection. */
  async publishedVersion(id: string): Promise<InspectionTemplate> {
    const row = await this.find(id, 'templateId');
    if (row.status !== 'published') throw new DomainError('TEMPLATE_NOT_PUBLISHED', `Version ${row.version} of ${row.code} is a draft: inspect with a published version`, { field: 'templateId', rule: 'published' });
    return row;
  }

  private assertEditor(actor: Actor): void {
    const prefix = regulatorPrefix(actor);
    if (isAdmin(actor) || (prefix !== null && prefix.length === 2)) return;
    throw new DomainError('FORBIDDEN', 'Only the platform admin or a provincial regulator edits checklists');
  }

  private async find(id: string, field = 'id'): Promise<InspectionTemplate> {
    const row = isUuid(id) ? await this.templates.findOneBy({ id }) : null;
    if (!row) throw new DomainError('NOT_FOUND', 'Checklist version not found', { field });
    return row;
  }

  view(t: InspectionTemplate): TemplateView {
    return {
      id: t.id, code: t.code, version: t.version, name: t.name, items: t.items, source: t.source, verified: t.verified, status: t.status,
      publishedAt: t.publishedAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString(),
    };
  }
}
