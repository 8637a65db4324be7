import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { AuditService } from '../audit';
import { Actor, isAdmin } from '../auth';
import { CategoriesService } from './categories.service';
import { refreshCertificateFlags } from './certificate-flags';
import { CertificateScopeRule } from './certificate-scope-rule.entity';
import type { PutCertificateScopeRuleDto } from './dto/certificate-scope-rule.dto';

export interface CertificateScopeRuleView {
  category: string;
  source: string;
  verified: boolean;
  note: string;
  updatedAt: string;
}

function view(rule: CertificateScopeRule): CertificateScopeRuleView {
  return { category: rule.categoryPath, source: rule.source, verified: rule.verified, note: rule.note, updatedAt: rule.updatedAt.toISOString() };
}

/** The platform admin and provincial regulators (a province's code ends in 0000) keep the rules. */
function requireRuleKeeper(actor: Actor): void {
  if (isAdmin(actor) || (actor.role === 'regulator' && actor.regionCode?.endsWith('0000'))) return;
  throw new DomainError('FORBIDDEN', 'Only the platform admin and provincial regulators change which categories need a certificate');
}

@Injectable()
export class CertificateScopeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly categories: CategoriesService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<{ items: CertificateScopeRuleView[] }> {
    const rules = await this.dataSource.getRepository(CertificateScopeRule).find({ order: { categoryPath: 'ASC' } });
    return { items: rules.map(view) };
  }

  /** Adds or changes the rule for a category subtree; the flags and the indicators follow at once. */
  async put(actor: Actor, categoryInput: string, dto: PutCertificateScopeRuleDto): Promise<CertificateScopeRuleView & { categoriesChanged: number }> {
    requireRuleKeeper(actor);
    const { path } = await this.categories.requireCategory(categoryInput, 'category');
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CertificateScopeRule);
      const before = await repository.findOneBy({ categoryPath: path });
      const saved = await repository.save(repository.create({ categoryPath: path, source: dto.source, verified: dto.verified, note: dto.note ?? '' }));
      const categoriesChanged = await refreshCertificateFlags(manager);
      await this.audit.record(manager, {
        action: before ? 'certificate_scope.changed' : 'certificate_scope.added',
        subject: { type: 'certificate_scope_rules', id: path },
        before: before ? { ...before } : null,
        after: { ...saved },
        details: { categoriesChanged },
      });
      return { ...view(saved), categoriesChanged };
    });
  }

  /** Takes a category subtree out of the rule. */
  async remove(actor: Actor, categoryInput: string): Promise<{ category: string; categoriesChanged: number }> {
    requireRuleKeeper(actor);
    const path = (await this.categories.requireCategory(categoryInput, 'category')).path;
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CertificateScopeRule);
      const rule = await repository.findOneBy({ categoryPath: path });
      if (!rule) throw new DomainError('NOT_FOUND', `No certificate rule for ${path}`, { field: 'category' });
      await repository.remove(rule);
      const categoriesChanged = await refreshCertificateFlags(manager);
      await this.audit.record(manager, {
        action: 'certificate_scope.removed',
        subject: { type: 'certificate_scope_rules', id: path },
        before: { ...rule },
        details: { categoriesChanged },
      });
      return { category: path, categoriesChanged };
    });
  }
}
