import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GiAuthorisation } from './gi-authorisation.entity';
import { GiClaimRefusal } from './gi-claim-refusal.entity';
import { GiClaim } from './gi-claim.entity';
import { GiClaimsService } from './gi-claims.service';
import { GiRecord } from './gi-record.entity';

/**
 * The claim check the batches feature runs inside its own transaction. Separate from GiModule
 * (registry, CSV, scan section) so batches can import it without an import cycle through scan.
 */
@Module({
  imports: [TypeOrmModule.forFeature([GiRecord, GiAuthorisation, GiClaim, GiClaimRefusal])],
  providers: [GiClaimsService],
  exports: [GiClaimsService, TypeOrmModule],
})
export class GiClaimsModule {}
