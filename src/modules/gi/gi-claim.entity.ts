import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { ClaimColumns } from '../marks';

/**
 * A batch's claim of a GI, checked and written in the batch's own transaction (one GI per batch).
 * Never rewritten: revoking the GI or the authorisation later leaves it as it was.
 */
@Entity('gi_claims')
@Index(['giId', 'producedOn'])
@Index(['authorisationId', 'year'])
export class GiClaim extends ClaimColumns {
  @Index({ unique: true })
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;

  @ForeignKey('GiAuthorisation')
  @Column({ name: 'authorisation_id', type: 'uuid' })
  authorisationId: string;

  @Column({ name: 'produced_on', type: 'date' })
  producedOn: string;
}
