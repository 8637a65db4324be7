import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TraceCode } from './trace-code.entity';
import { TraceCodesService } from './trace-codes.service';

@Module({
  imports: [TypeOrmModule.forFeature([TraceCode])],
  providers: [TraceCodesService],
  exports: [TraceCodesService],
})
export class CodesModule {}
