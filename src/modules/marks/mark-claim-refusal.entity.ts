import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { RefusalColumns } from './claim-columns';

/** A refused attempt to claim a mark (possible misuse, for regulators); written after the failed transaction. */
@Entity('mark_claim_refusals')
@Index(['scheme', 'claimedOn'])
@Index(['markId'])
export class MarkClaimRefusal extends RefusalColumns {
  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @Column({ type: 'varchar', length: 20 })
  scheme: string;

  @Column({ name: 'claimed_on', type: 'date' })
  claimedOn: string;
}
