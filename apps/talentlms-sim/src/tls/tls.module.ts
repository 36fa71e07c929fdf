import { Module } from '@nestjs/common';
import { TlsServer } from './tls-server.service';

@Module({ providers: [TlsServer], exports: [TlsServer] })
export class TlsModule {}
