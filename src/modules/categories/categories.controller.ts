import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth';
import { CategoriesService } from './categories.service';

@ApiTags('categories')
@Controller('api/v1/categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  /** The food-category tree (GB 2763 Appendix A subset), for pickers. */
  @Get()
  @Public()
  async list() {
    const rows = await this.categories.list();
    return { items: rows.map((c) => ({ path: c.path, name: c.name, parentPath: c.parentPath, depth: c.depth, certificateRequired: c.certificateRequired })) };
  }
}
