import { DataSource } from 'typeorm';
import { seedCategories } from '../modules/categories/categories.service';
import { seedLimits } from '../modules/limits/limits.service';

/** Brings a database up to date: pending migrations, then the seed data the platform needs. */
export async function migrateAndSeed(dataSource: DataSource): Promise<{ migrations: string[]; categories: number; limits: number }> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  const categories = await seedCategories(dataSource.manager);
  const limits = await seedLimits(dataSource.manager);
  return { migrations: ran.map((m) => m.name), categories, limits };
}
