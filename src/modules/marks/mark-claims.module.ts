import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MarkClaimRefusal } from './mark-claim-refusal.entity';
import { MarkClaim } from './mark-claim.entity';
import { MarkClaimsService } from './mark-claims.service';
import { MarkLicence } from './mark-licence.entity';
import { MarkRecord } from './mark-record.entity';
import { OrganicCode, OrganicCodeAllocation } from './organic-code.entity';
import { OrganicCodesService } from './organic-codes.service';

/**
 * The parts of marks that batches and labels call inside their own transactions (claims, 有机码),
 * separate from MarksModule (registry, CSV, scan section) so they can import it without a cycle.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MarkRecord, MarkLicence, MarkClaim, MarkClaimRefusal, OrganicCode, OrganicCodeAllocation])],
  providers: [MarkClaimsService, OrganicCodesService],
  exports: [MarkClaimsService, OrganicCodesService, TypeOrmModule],
})
export class MarkClaimsModule {}
