import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { PageQueryDto } from '../../common/pagination';
import { CurrentActor, Roles, PRODUCER_WRITERS } from '../auth';
import type { Actor } from '../auth';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@ApiBearerAuth()
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @Roles(...PRODUCER_WRITERS)
  @ApiErrorCodes('DUPLICATE_GTIN', 'UNKNOWN_CATEGORY')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProductDto) {
    return this.products.create(actor, dto);
  }

  @Get()
  @ApiErrorCodes('INVALID_CURSOR')
  list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto) {
    return this.products.list(actor, page.limit, page.cursor);
  }

  @Get(':id')
  @ApiErrorCodes('NOT_FOUND')
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.products.get(actor, id);
  }
}
