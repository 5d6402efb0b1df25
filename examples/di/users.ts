// Users: a service over the database, a controller, a module that exports the service.
import { BadRequestException, Controller, Get, Injectable, Module, NotFoundException, Post, UseGuards, UseInterceptors, inject, type Ctx } from './armature.js';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@armature/openapi';
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

const UserSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, email: { type: 'string', format: 'email' } }, required: ['id', 'name', 'email'] } as const;

@ApiTags('users')
@Controller('/users')
export class UsersController {
  private readonly users = inject(UsersService);

  @ApiOperation({ summary: 'List the users' })
  @ApiResponse({ status: 200, description: 'The users, in an envelope', schema: { type: 'object', properties: { data: { type: 'array', items: UserSchema }, count: { type: 'integer' } } } })
  @UseInterceptors(ListEnvelope)
  @Get()
  list() {
    return this.users.list();
  }

  @ApiOperation({ summary: 'One user' })
  @ApiResponse({ status: 200, description: 'The user', schema: UserSchema, example: { id: 1, name: 'Ada', email: 'ada@example.com' } })
  @ApiResponse({ status: 404, description: 'No such user' })
  @Get('/:id<int>')
  show(ctx: Ctx<'/:id'>) {
    const user = this.users.find(Number(ctx.params.id));
    if (user === undefined) throw new NotFoundException(`no user ${ctx.params.id}`);
    return user;
  }

  @ApiOperation({ summary: 'Create a user' })
  @ApiBody({ schema: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } }, required: ['name', 'email'] }, example: { name: 'Ada', email: 'ada@example.com' } })
  @ApiResponse({ status: 201, description: 'The new user', schema: UserSchema })
  @ApiResponse({ status: 400, description: 'name or email missing' })
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
