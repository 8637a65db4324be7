import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { Actor, CurrentActor, Public, PRODUCER_WRITERS, Roles } from '../auth';
import { badgeSvg } from './domain/badge';
import { CreateListingDto, ListingSessionDto, ShipBatchesDto } from './dto/listing.dto';
import { ListingsService } from './listings.service';
import { renderListingPage } from './views/listing-page';

const BATCH_ERRORS = ['NOT_FOUND', 'LISTING_BATCH_WRONG_PRODUCT', 'LISTING_BATCH_NOT_SELLABLE', 'LISTING_CERTIFICATE_REQUIRED'] as const;

@ApiTags('listings')
@ApiBearerAuth()
@Controller('api/v1/listings')
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  /** An online listing (platform, URL or id, product), the batches shipped under it now and its live-stream sessions. */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first listing' })
  @ApiErrorCodes(...BATCH_ERRORS, 'LISTING_DUPLICATE', 'UNKNOWN_CATEGORY', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED')
  async create(
    @CurrentActor() actor: Actor, @Body() dto: CreateListingDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.listings.create(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.listings.list(actor, query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.listings.get(actor, id);
  }

  /** Rolling: the batches shipped from now on (the previous ones are kept as history). */
  @Put(':id/batches')
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes(...BATCH_ERRORS)
  ship(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ShipBatchesDto) {
    return this.listings.shipBatches(actor, id, dto);
  }

  @Post(':id/sessions')
  @HttpCode(201)
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes(...BATCH_ERRORS)
  session(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ListingSessionDto) {
    return this.listings.addLiveSession(actor, id, dto);
  }
}

/** /l/{code} (HTML, JSON with Accept: application/json) and the embeddable badge; unknown codes get the friendly 404 page. */
@ApiTags('listings')
@Public()
@Controller('l')
export class ListingPublicController {
  constructor(private readonly listings: ListingsService) {}

  @Get(':code')
  @ApiExcludeEndpoint()
  async page(@Param('code') code: string, @Res() reply: FastifyReply) {
    const view = await this.listings.byCode(code);
    void reply.header('Cache-Control', 'private, no-store');
    const accept = String(reply.request.headers.accept ?? '');
    if (/application\/json/.test(accept) && !accept.includes('text/html')) return reply.send(view);
    return reply.type('text/html; charset=utf-8').send(renderListingPage(view));
  }

  /** An <img> for a shop page: green with the current batch and certificate, red on a hold, recall or missing certificate. */
  @Get(':code/badge.svg')
  @ApiExcludeEndpoint()
  async badge(@Param('code') code: string, @Res() reply: FastifyReply) {
    const view = await this.listings.byCode(code);
    return reply.type('image/svg+xml; charset=utf-8').header('Cache-Control', 'public, max-age=60')
      .header('Cross-Origin-Resource-Policy', 'cross-origin').send(badgeSvg(view.state, view.batches[0]?.lotCode ?? null));
  }
}
