import { Global, Module } from '@nestjs/common';
import { TOKEN_STATUS } from '@talentsync/shared/http';
import { CompanyTokensConsumer } from './company-tokens.consumer';
import { CompanyTokensController } from './company-tokens.controller';
import { CompanyTokensService } from './company-tokens.service';

/** Global: the HTTP guard (registered by the platform module) asks TOKEN_STATUS. */
@Global()
@Module({
  controllers: [CompanyTokensController, CompanyTokensConsumer],
  providers: [CompanyTokensService, { provide: TOKEN_STATUS, useExisting: CompanyTokensService }],
  exports: [TOKEN_STATUS],
})
export class TokensModule {}
