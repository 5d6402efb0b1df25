// The same route as a decorated controller with an injected singleton service.
import { Armature, Controller, Get, Module, inject, type Ctx } from '../../packages/core/src/di/index.js';
import { UsersService } from './service.js';


@Controller('/users')
class UsersController {
  private readonly users = inject(UsersService);
  @Get('/:id')
  show(ctx: Ctx<'/:id'>) {
    return this.users.find(ctx.params.id);
  }
}

@Module({ controllers: [UsersController], providers: [UsersService] })
class AppModule {}

const app = await Armature.create(AppModule);
const { port } = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`decorated listening on ${port}`);
