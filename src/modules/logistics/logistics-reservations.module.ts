import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { formatDecimal, type Quantity } from '../../../libs/quantity';
import { EventsModule, UnitMovementsService } from '../events';

/**
 * What units not yet shipped hold of a lot counts against it for every movement (shipments,
 * transformations, EPCIS captures, packing onto another unit). Loaded by the API (through
 * LogisticsModule) and by the worker process, whose capture jobs check mass balance too.
 */
@Injectable()
export class LogisticsReservations implements OnModuleInit {
  constructor(private readonly units: UnitMovementsService) {}

  onModuleInit(): void {
    this.units.reserveWith(async (m, batchId, exceptUnit) => {
      const rows = await m.query(
        `SELECT c.quantity_value AS value, c.quantity_unit AS unit FROM sscc_contents c JOIN ssccs s ON s.sscc = c.sscc
          WHERE c.batch_id = $1 AND s.status = 'open' AND c.sscc IS DISTINCT FROM $2`, [batchId, exceptUnit]) as { value: string; unit: string }[];
      return rows.map((r): Quantity => ({ value: formatDecimal(r.value), unit: r.unit as Quantity['unit'] }));
    });
  }
}

@Module({ imports: [EventsModule], providers: [LogisticsReservations] })
export class LogisticsReservationsModule {}
