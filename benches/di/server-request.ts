// The same route with a request-scoped dependency: the controller becomes request-scoped, so a
// controller and a RequestInfo are created per request (what request scope costs).
import { Armature, Controller, Get, Injectable, Module, REQUEST, Scope, inject, type Ctx } from '../../packages/core/src/di/index.js';
import { UsersService } from './service.js';

@Injectable({ scope: Scope.Request })
class RequestInfo {
  readonly ctx = inject(REQUEST);
}

@Controller('/users')
class UsersController {
  private readonly users = inject(UsersService);
  private readonly info = inject(RequestInfo);
  @Get('/:id')
  show(ctx: Ctx<'/:id'>) {
    return this.users.find(this.info.ctx === ctx ? ctx.params.id : '');
  }
}

@Module({ controllers: [UsersController], providers: [UsersService, RequestInfo] })
class AppModule {}

const app = await Armature.create(AppModule);
const { port } = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`request-scoped listening on ${port}`);
