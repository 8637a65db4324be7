import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeTraceCodeInput } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { toErrorResponse } from '../../common/domain-exception.filter';
import { renderNotFoundPage } from '../../common/html';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Inject } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { classifyClient } from './domain/client-info';
import { buildLinkset, LINK_TYPES, linkTarget } from './domain/linkset';
import { ScanService } from './scan.service';
import { renderHomePage } from './views/home-page';
import { renderScanPage } from './views/scan-page';

/** Consumer pages are never cached by proxies: every scan must reach us to be counted. */
const NO_STORE = 'private, no-store';

@ApiTags('scan')
@Public()
@Controller()
export class ScanController {
  constructor(
    private readonly scans: ScanService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
    try {
      return reply.redirect(`/t/${normalizeTraceCodeInput(code ?? '')}`, 303);
    } catch (error) {
      return this.htmlError(error instanceof DomainError ? new DomainError('NOT_FOUND', error.message) : error, reply);
    }
  }

  @Get('t/:code')
  @ApiOperation({ summary: 'Consumer trace page (zh-CN HTML)' })
  async page(@Param('code') code: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const view = await this.scans.scan(code, 't', clientOf(req));
      if (prefersJson(req)) return reply.header('Cache-Control', NO_STORE).send(view);
      return reply.header('Cache-Control', NO_STORE).type('text/html; charset=utf-8').send(renderScanPage(view));
    } catch (error) {
      return this.htmlError(error, reply);
    }
  }

  @Get('api/v1/scan/:code')
  @ApiOperation({ summary: 'The consumer page as JSON' })
  async json(@Param('code') code: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', NO_STORE);
    return this.scans.scan(code, 'api', clientOf(req));
  }

  /** GS1 Digital Link resolver: /01/{gtin14}/10/{lot}[/21/{serial}]. */
  @Get('01/*')
  @ApiExcludeEndpoint()
  async resolve(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('linkType') linkType: string | undefined,
    @Headers('accept') accept: string | undefined,
  ) {
    const wantsJson = prefersJson(req);
    try {
      const path = req.url.split('?')[0];
      const code = await this.scans.codeForDigitalLink(path);
      const anchor = `${this.config.publicBaseUrl}${path}`;
      if (linkType === 'linkset' || linkType === 'all' || /application\/linkset\+json/.test(accept ?? '')) {
        return reply.header('Cache-Control', NO_STORE).type('application/linkset+json')
          .send(buildLinkset(this.config.publicBaseUrl, anchor, code));
      }
      if (linkType && LINK_TYPES.some((t) => t.type === linkType)) {
        return reply.header('Cache-Control', NO_STORE).redirect(linkTarget(this.config.publicBaseUrl, code, linkType), 307);
      }
      const view = await this.scans.scan(code, 'dl', clientOf(req));
      if (wantsJson) return reply.header('Cache-Control', NO_STORE).send(view);
      return reply.header('Cache-Control', NO_STORE).header('Link', `<${anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`)
        .type('text/html; charset=utf-8').send(renderScanPage(view));
    } catch (error) {
      if (wantsJson) {
        const { status, body } = toErrorResponse(error);
        return reply.status(status).send(body);
      }
      return this.htmlError(error, reply);
    }
  }

  private htmlError(error: unknown, reply: FastifyReply) {
    if (!(error instanceof DomainError)) throw error;
    const status = error.code === 'NOT_FOUND' ? 404 : toErrorResponse(error).status;
    return reply.status(status >= 500 ? 500 : status).header('Cache-Control', NO_STORE)
      .type('text/html; charset=utf-8').send(renderNotFoundPage());
  }
}

/** A client that asks for JSON (and not HTML) gets the JSON twin of a consumer page. */
function prefersJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/(json|linkset\+json)/.test(accept) && !accept.includes('text/html');
}

function clientOf(req: FastifyRequest) {
  return classifyClient(req.headers['user-agent'], req.headers['accept-language'] as string | undefined);
}
