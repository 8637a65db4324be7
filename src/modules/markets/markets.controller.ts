import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import type { Actor } from '../auth';
import { CurrentActor, Roles } from '../auth';
import { PRODUCER_WRITERS } from '../auth';
import { CreateEntryDto, CreateSellerDto, CreateStallDto, DisposeItemDto, ListEntriesDto, ListSellersDto, StallQrQueryDto, StopSellerDto } from './dto/market.dto';
import { MarketEntriesService } from './market-entries.service';
import { MarketSellersService } from './market-sellers.service';

@ApiTags('markets')
@ApiBearerAuth()
@Controller('api/v1/market-sellers')
export class MarketSellersController {
  constructor(private readonly sellers: MarketSellersService) {}

  /** 入场销售者档案: a business by its USCC, an individual by ID number (kept only as a keyed hash and a masked form). */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('MARKET_REQUIRED', 'SELLER_DUPLICATE', 'INVALID_USCC', 'INVALID_ID_NUMBER', 'INVALID_REGION_CODE')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSellerDto) {
    return this.sellers.create(actor, dto);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListSellersDto) {
    return this.sellers.list(actor, query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.sellers.get(actor, id);
  }

  /** The seller stopped selling here: the file is kept MARKET_SELLER_RETENTION_MONTHS (≥ 6) from that day. */
  @Post(':id/stop')
  @HttpCode(200)
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND')
  stop(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: StopSellerDto) {
    return this.sellers.stop(actor, id, dto);
  }

  /** Refused (409 RETENTION_PERIOD) until the retention period after the seller stopped has passed. */
  @Delete(':id')
  @HttpCode(204)
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND', 'RETENTION_PERIOD', 'SELLER_ACTIVE')
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.sellers.delete(actor, id);
  }
}

@ApiTags('markets')
@ApiBearerAuth()
@Controller('api/v1/market-stalls')
export class MarketStallsController {
  constructor(private readonly sellers: MarketSellersService) {}

  /** A stall and its public code (一店一码: /s/{code}). */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND', 'SELLER_STOPPED', 'STALL_NUMBER_TAKEN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateStallDto) {
    return this.sellers.createStall(actor, dto);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: PageQueryDto) {
    return this.sellers.listStalls(actor, query);
  }

  /** The stall's QR as labels to print: `layout=a4-40` (a sheet of 40, default), `roll-60x40` or `roll-60x80`. */
  @Get(':id/qr.pdf')
  @Roles(...PRODUCER_WRITERS)
  @ApiProduces('application/pdf')
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND')
  async qrPdf(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: StallQrQueryDto, @Res() reply: FastifyReply) {
    const pdf = await this.sellers.stallQr(actor, id, 'pdf', query.layout);
    return reply.type('application/pdf').header('Content-Disposition', 'attachment; filename="stall-qr.pdf"').send(pdf);
  }

  @Get(':id/qr.svg')
  @Roles(...PRODUCER_WRITERS)
  @ApiProduces('image/svg+xml')
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND')
  async qrSvg(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    return reply.type('image/svg+xml').send(await this.sellers.stallQr(actor, id, 'svg', undefined));
  }
}

@ApiTags('markets')
@ApiBearerAuth()
@Controller('api/v1/market-entries')
export class MarketEntriesController {
  constructor(private readonly entries: MarketEntriesService) {}

  /**
   * 入场查验 of one consignment. 201 when every lot entered; when any lot is refused, the entry is
   * still recorded (and reported) and the answer is the refusal's code with every lot's verdict in
   * `details.items`. A retry with the same Idempotency-Key gets the same answer and records nothing.
   */
  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first answer' })
  @ApiErrorCodes(
    'MARKET_REQUIRED', 'NOT_FOUND', 'SELLER_STOPPED', 'PROOF_REQUIRED', 'UNKNOWN_CATEGORY', 'INVALID_QUANTITY', 'QUANTITY_UNIT_MISMATCH',
    'CERTIFICATE_QUANTITY_EXHAUSTED', 'CERTIFICATE_NOT_FOUND', 'CERTIFICATE_VOIDED', 'CERTIFICATE_PRODUCT_MISMATCH', 'CERTIFICATE_LOOKUP_LIMITED',
    'TRACE_CODE_UNKNOWN', 'BATCH_NOT_SELLABLE', 'RAPID_TEST_FAILED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED',
  )
  async create(
    @CurrentActor() actor: Actor, @Body() dto: CreateEntryDto,
    @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { view, replayed } = await this.entries.create(actor, dto, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    const refusal = this.entries.refusalOf(view);
    if (refusal) throw refusal;
    return view;
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() query: ListEntriesDto) {
    return this.entries.list(actor, query);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.entries.get(actor, id);
  }

  /** What was done with a refused lot (销毁, 无害化处理, 退货 …), for the market's 公示. */
  @Post(':id/items/:itemId/disposal')
  @HttpCode(200)
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('MARKET_REQUIRED', 'NOT_FOUND', 'ITEM_NOT_REFUSED', 'ITEM_ALREADY_DISPOSED')
  dispose(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('itemId') itemId: string, @Body() dto: DisposeItemDto) {
    return this.entries.dispose(actor, id, itemId, dto);
  }
}
