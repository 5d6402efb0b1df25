/** The root module: what the app is made of. Add feature modules to `imports`. */
import { Module } from '@armature/core';
import { HelloController } from './hello.controller.js';
import { HelloService } from './hello.service.js';

@Module({
  controllers: [HelloController],
  providers: [HelloService],
})
export class AppModule {}
