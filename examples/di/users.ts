// Users: a service over the database, a controller, a module that exports the service.
import { BadRequestException, Controller, Get, Injectable, Module, NotFoundException, Post, UseGuards, UseInterceptors, inject, type Ctx } from './armature.js';
import { ApiKeyGuard } from './auth.js';
import { ListEnvelope } from './common.js';
import { DATABASE, DatabaseModule } from './database.js';

export interface User { id: number; name: string; email: string }

@Injectable()
export class UsersService {
  private readonly db = inject(DATABASE);
  list(): User[] {
    return this.db.all<User>('users');
  }
  find(id: number): User | undefined {
    return this.db.find<User>('users', id);
  }
  create(name: string, email: string): User {
    return this.db.insert('users', { name, email }, 'email');
  }
}

@Controller('/users')
export class UsersController {
  private readonly users = inject(UsersService);

  @UseInterceptors(ListEnvelope)
  @Get()
  list() {
    return this.users.list();
  }

  @Get('/:id<int>')
  show(ctx: Ctx<'/:id'>) {
    const user = this.users.find(Number(ctx.params.id));
    if (user === undefined) throw new NotFoundException(`no user ${ctx.params.id}`);
    return user;
  }

  @UseGuards(ApiKeyGuard)
  @Post('/', { status: 201 })
  async create(ctx: Ctx) {
    const body = await ctx.json<Partial<User>>();
    if (typeof body?.name !== 'string' || typeof body.email !== 'string') throw new BadRequestException('name and email are required');
    return this.users.create(body.name, body.email);
  }
}

@Module({ imports: [DatabaseModule], controllers: [UsersController], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
