import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { refreshCertificateFlags } from './certificate-flags';
import { normalizeCategoryPath, parseCategoryCsv } from './domain/category-path';
import { FoodCategory } from './food-category.entity';

export const CATEGORY_SEED_FILE = join(__dirname, '..', '..', 'database', 'seed', 'food-categories.csv');

/** How long a category found stays in this process's memory (the tree changes only when `seed` runs). */
const FOUND_TTL_MS = 60_000;

@Injectable()
export class CategoriesService {
  /** Categories found lately, by path: a market gate names one per lot, a database round trip each otherwise. Unknown paths are always looked up. */
  private readonly found = new Map<string, { category: FoodCategory; until: number }>();

  constructor(@InjectRepository(FoodCategory) private readonly categories: Repository<FoodCategory>) {}

  /** Returns the stored path for a typed path, or throws UNKNOWN_CATEGORY naming the field. */
  async requireCategory(input: string, field = 'category'): Promise<FoodCategory> {
    const path = normalizeCategoryPath(input);
    const cached = this.found.get(path);
    if (cached && cached.until > Date.now()) return cached.category;
    const found = await this.categories.findOneBy({ path });
    if (!found) {
      throw new DomainError('UNKNOWN_CATEGORY', `${field} "${input}" is not in the food-category tree`, { field, rule: 'known_category' });
    }
    if (this.found.size >= 2000) this.found.clear();
    this.found.set(path, { category: found, until: Date.now() + FOUND_TTL_MS });
    return found;
  }

  list(): Promise<FoodCategory[]> {
    return this.categories.find({ order: { path: 'ASC' } });
  }
}

/**
 * Upserts the category tree from the CSV kept in the repository, then derives the certificate flags
 * of new categories from the rules. Idempotent; run by `seed`.
 */
export async function seedCategories(manager: EntityManager, file = CATEGORY_SEED_FILE): Promise<number> {
  const rows = parseCategoryCsv(readFileSync(file, 'utf8'));
  await manager.transaction(async (m) => {
    await m.getRepository(FoodCategory).upsert(rows, ['path']);
    await refreshCertificateFlags(m);
  });
  return rows.length;
}
