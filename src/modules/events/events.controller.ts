import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LargeBody } from '../../common/request-bodies';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Roles } from '../auth';
import type { Actor } from '../auth';
import { CaptureService } from './capture.service';
import { QueryEventsDto } from './dto/query-events.dto';
import { EventsService } from './events.service';

@ApiTags('events (EPCIS 2.0)')
@ApiBearerAuth()
@Controller('api/v1')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly captures: CaptureService,
  ) {}

  /** EPCIS capture: validated at once against the official schema, stored by a job. */
  @Post('events')
  @LargeBody('epcis')
  @HttpCode(202)
  @Roles('admin', 'org_admin', 'operator')
  @ApiHeader({ name: 'GS1-Capture-Error-Behaviour', required: false, description: 'rollback (default): nothing is stored when an event fails; proceed: the good events are stored' })
  @ApiBody({ description: 'An EPCIS 2.0 JSON-LD EPCISDocument (Content-Type application/ld+json or application/json, up to EPCIS_BODY_LIMIT_BYTES, 64 MiB by default)', schema: { type: 'object' } })
  @ApiErrorCodes('CAPTURE_LIMIT_EXCEEDED', 'INVALID_EPCIS', 'VALIDATION_FAILED')
  async capture(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Headers('gs1-capture-error-behaviour') behaviour: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.captures.capture(actor, body, behaviour);
    void reply.header('Location', view.url);
    void reply.header('GS1-EPCIS-Version', '2.0.0');
    return view;
  }

  @Get('capture/:id')
  @ApiErrorCodes('NOT_FOUND')
  captureStatus(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.captures.get(actor, id);
  }

  /** SimpleEventQuery (REST binding parameters). `format=epcis` or Accept: application/ld+json → an EPCISDocument. */
  @Get('events')
  @ApiErrorCodes('INVALID_CURSOR')
  async query(
    @CurrentActor() actor: Actor,
    @Query() q: QueryEventsDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const page = await this.events.query(actor, q);
    if (q.format === 'epcis' || (accept ?? '').includes('application/ld+json')) {
      void reply.type('application/ld+json; charset=utf-8');
      void reply.header('GS1-EPCIS-Version', '2.0.0');
      if (page.nextCursor) {
        const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'cursor' && k !== 'nextPageToken').map(([k, v]) => [k, String(v)]));
        params.set('nextPageToken', page.nextCursor);
        void reply.header('Link', `</api/v1/events?${params.toString()}>; rel="next"`);
      }
      return this.events.asDocument(page.items, page.prefixes);
    }
    return page;
  }

  /**
   * CBV 2.0 event hash IDs of posted events, with their pre-hash strings, for partners checking their
   * own implementation. A POST, not a GET: the events are a body (the issue asked for "GET or CLI").
   * Nothing is stored.
   */
  @Post('events/hash')
  @HttpCode(200)
  @ApiBody({ description: 'An EPCIS 2.0 EPCISDocument (its @context prefixes expand extension keys), a single event, or an array of events (at most 10,000)', schema: { type: 'object' } })
  @ApiErrorCodes('VALIDATION_FAILED')
  hash(@Body() body: unknown) {
    return this.events.hashes(body);
  }
}
