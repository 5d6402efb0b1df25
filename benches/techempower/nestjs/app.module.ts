import { Module } from '@nestjs/common';
import { DatabaseModule } from './database.module.js';
import { TfbController } from './tfb.controller.js';
import { FortuneService, WorldService } from './tfb.service.js';

@Module({
  imports: [DatabaseModule],
  controllers: [TfbController],
  providers: [WorldService, FortuneService],
})
export class AppModule {}
