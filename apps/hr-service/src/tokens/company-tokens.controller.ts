import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CompanyId, PlatformOnly } from '@talentsync/shared/http';
import { CompanyTokensService } from './company-tokens.service';
import {
  IssuedTokenView,
  IssueTokenDto,
  ListTokensQuery,
  TokenPage,
  TokenView,
} from './tokens.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'Unknown company' })
@PlatformOnly()
@Controller('companies/:companyId/tokens')
export class CompanyTokensController {
  constructor(private readonly tokens: CompanyTokensService) {}

  /** Issues a company token: the answer is the only place it is ever shown. */
  @Post()
  @ApiCreatedResponse({ type: IssuedTokenView })
  async issue(
    @CompanyId() companyId: string,
    @Body() body: IssueTokenDto,
  ): Promise<IssuedTokenView> {
    const { row, token } = await this.tokens.issue(companyId, body);
    const { id, name, createdAt, expiresAt } = TokenView.of(row);
    return { id, name, token, createdAt, expiresAt };
  }

  @Get()
  @ApiOkResponse({ type: TokenPage })
  async list(@CompanyId() companyId: string, @Query() query: ListTokensQuery): Promise<TokenPage> {
    const { page, pageSize } = query;
    const [rows, total] = await this.tokens.list(companyId, {
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map((row) => TokenView.of(row)), total, page, pageSize };
  }

  /** Revokes: refused on every service within seconds (at once on hr-service). */
  @Delete(':tokenId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revoke(@CompanyId() companyId: string, @Param('tokenId') tokenId: string): Promise<void> {
    await this.tokens.revoke(companyId, tokenId);
  }
}
