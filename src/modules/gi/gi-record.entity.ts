import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RevocableColumns } from '../marks';
import type { BoundingBox, GiRegime } from './domain/gi-record-rules';

/** A geographical indication (地理标志) in the registry: regime, number, holder, protected area, status. */
@Entity('gi_records')
@Index('uq_gi_records_regime_number', ['regime', 'registrationNumber'], { unique: true })
export class GiRecord extends RevocableColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 12 })
  regime: GiRegime;

  @Column({ name: 'product_name', type: 'varchar', length: 100 })
  productName: string;

  @Column({ name: 'registration_number', type: 'varchar', length: 60 })
  registrationNumber: string;

  /** Holder (登记证书持有人 / 商标注册人) by USCC; it may or may not be an organisation on the platform. */
  @Index()
  @Column({ name: 'holder_uscc', type: 'varchar', length: 18 })
  holderUscc: string;

  @Column({ name: 'holder_name', type: 'varchar', length: 200, nullable: true })
  holderName: string | null;

  /** GB/T 2260 codes; a prefecture (or province) code covers everything inside it. */
  @Column({ name: 'area_codes', type: 'jsonb' })
  areaCodes: string[];

  @Column({ name: 'area_text', type: 'varchar', length: 2000, nullable: true })
  areaText: string | null;

  @Column({ name: 'bounding_box', type: 'jsonb', nullable: true })
  boundingBox: BoundingBox | null;

  /** Quality-technical requirements: an AGI spec number (AGI2019-03-2738) or a standard (GB/T 20560). */
  @Column({ name: 'spec_reference', type: 'varchar', length: 100, nullable: true })
  specReference: string | null;

  @Column({ name: 'announcement_number', type: 'varchar', length: 100, nullable: true })
  announcementNumber: string | null;

  @Column({ name: 'announced_on', type: 'date', nullable: true })
  announcedOn: string | null;

  /** On the China–EU agreement list (中欧地理标志协定). */
  @Column({ name: 'china_eu', type: 'boolean', default: false })
  chinaEu: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
