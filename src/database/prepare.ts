import { DataSource } from 'typeorm';
import { seedCategories } from '../modules/categories/categories.service';
import { rehashEvents } from '../modules/events';
import { seedLimits } from '../modules/limits/limits.service';
import { seedPopulation } from '../modules/indicators/population.seed';

/**
 * Brings a database up to date: pending migrations, the seed data the platform needs, and (given our
 * public base URL, which our own events' namespace contains) events rehashed by the current CBV 2.0
 * hash algorithm.
 */
export async function migrateAndSeed(dataSource: DataSource, publicBaseUrl?: string): Promise<{
  migrations: string[]; categories: number; limits: number; populations: number; rehashedEvents: number;
}> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  const categories = await seedCategories(dataSource.manager);
  const limits = await seedLimits(dataSource.manager);
  const populations = await seedPopulation(dataSource.manager);
  const rehashedEvents = publicBaseUrl ? await rehashEvents(dataSource, publicBaseUrl) : 0;
  return { migrations: ran.map((m) => m.name), categories, limits, populations, rehashedEvents };
}
