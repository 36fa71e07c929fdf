import { Module } from '@nestjs/common';
import { TlsModule } from '../tls/tls.module';
import { AdminController } from './admin.controller';

@Module({ imports: [TlsModule], controllers: [AdminController] })
export class AdminModule {}
