import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { RefusalColumns } from '../marks';

/** A refused attempt to claim a GI (for the regulators' usage report); written after the failed transaction. */
@Entity('gi_claim_refusals')
@Index(['giId', 'producedOn'])
export class GiClaimRefusal extends RefusalColumns {
  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;

  @Column({ name: 'produced_on', type: 'date' })
  producedOn: string;
}
