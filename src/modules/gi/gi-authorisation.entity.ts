import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { LicenceColumns } from '../marks';

/** An organisation authorised to use a GI (授权使用人) for a period, with an optional yearly quota: the marks' licence. */
@Entity('gi_authorisations')
@Index('uq_gi_authorisations_period', ['giId', 'organizationId', 'validFrom'], { unique: true })
export class GiAuthorisation extends LicenceColumns {
  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;
}
