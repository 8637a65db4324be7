import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { LicenceColumns } from './claim-columns';

/** An organisation licensed to use a mark (区域公用品牌 授权) for a period, with an optional yearly quota. */
@Entity('mark_licences')
@Index('uq_mark_licences_period', ['markId', 'organizationId', 'validFrom'], { unique: true })
export class MarkLicence extends LicenceColumns {
  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;
}
