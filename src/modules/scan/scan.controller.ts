import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { normalizeTraceCodeInput } from '../../../libs/codes';
import { renderNotFoundPage } from '../../common/html';
import { Public } from '../auth';
import { renderHomePage } from './views/home-page';

/** The low-traffic consumer pages; the scan routes themselves are in scan-routes.ts. */
@ApiTags('scan')
@Public()
@Controller()
export class ScanController {
  /** The site's front page: what the platform is, and a box to type a code printed under a QR. */
  @Get()
  @ApiExcludeEndpoint()
  home(@Res() reply: FastifyReply) {
    return reply.type('text/html; charset=utf-8').send(renderHomePage());
  }

  /** The front page's form: a typed code (spaces, lower case, O for 0 are forgiven). */
  @Get('t')
  @ApiExcludeEndpoint()
  lookup(@Query('code') code: string | undefined, @Res() reply: FastifyReply) {
    let normalized: string;
    try {
      normalized = normalizeTraceCodeInput(code ?? '');
    } catch {
      return reply.status(404).header('Cache-Control', 'private, no-store').type('text/html; charset=utf-8').send(renderNotFoundPage());
    }
    return reply.redirect(`/t/${normalized}`, 303);
  }
}
