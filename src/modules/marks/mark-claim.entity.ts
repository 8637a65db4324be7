import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { ClaimColumns } from './claim-columns';

/**
 * A batch's claim of a mark, checked and written in the batch's own transaction. Never rewritten:
 * revoking the mark or the licence later leaves it as it was (the scan page shows the state).
 */
@Entity('mark_claims')
@Index('uq_mark_claims_batch_mark', ['batchId', 'markId'], { unique: true })
@Index(['markId', 'year'])
@Index(['scheme', 'claimedOn'])
export class MarkClaim extends ClaimColumns {
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @Column({ type: 'varchar', length: 20 })
  scheme: string;

  @ForeignKey('MarkLicence')
  @Column({ name: 'licence_id', type: 'uuid', nullable: true })
  licenceId: string | null;

  /** The day the mark had to be valid on. */
  @Column({ name: 'claimed_on', type: 'date' })
  claimedOn: string;
}
