import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrorCodes } from '../../common/api-error-codes';
import { CurrentActor, Public, Roles } from '../auth';
import type { Actor } from '../auth';
import { CertificateScopeService } from './certificate-scope.service';
import { PutCertificateScopeRuleDto } from './dto/certificate-scope-rule.dto';

/**
 * Which food categories need a 承诺达标合格证 (农业农村部令2025年第4号), as data the regulator keeps:
 * a rule covers a category and everything under it. Public to read, like the category tree.
 */
@ApiTags('categories')
@Controller('api/v1/certificate-scope')
export class CertificateScopeController {
  constructor(private readonly scope: CertificateScopeService) {}

  @Get()
  @Public()
  list() {
    return this.scope.list();
  }

  /** Adds or changes the rule for a category (its path, URL-encoded: `水果`, `饮料类%3E茶鲜叶`). Admin and provincial regulators. */
  @Put(':category')
  @ApiBearerAuth()
  @Roles('admin', 'regulator')
  @ApiErrorCodes('UNKNOWN_CATEGORY')
  put(@CurrentActor() actor: Actor, @Param('category') category: string, @Body() body: PutCertificateScopeRuleDto) {
    return this.scope.put(actor, category, body);
  }

  @Delete(':category')
  @ApiBearerAuth()
  @Roles('admin', 'regulator')
  @ApiErrorCodes('NOT_FOUND', 'UNKNOWN_CATEGORY')
  remove(@CurrentActor() actor: Actor, @Param('category') category: string) {
    return this.scope.remove(actor, category);
  }
}
