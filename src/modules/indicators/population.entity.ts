import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Resident population (常住人口) of a region, as data with its source and verified flag: the
 * denominator of sampling_density_per_1000. Seeded from src/database/seed/population-sichuan-2020.csv;
 * a region without a row has no density (reported as missing, never 0).
 */
@Entity('region_populations')
export class RegionPopulation {
  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'integer' })
  population: number;

  /** The census or estimate day the figure is for. */
  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;
}
