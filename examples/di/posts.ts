// Posts: uses UsersService (exported by UsersModule) and the request-scoped CurrentUser.
import { Controller, Get, Injectable, Module, Post, UnprocessableEntityException, UseGuards, inject, type Ctx } from './armature.js';
import { ApiKeyGuard, CurrentUser } from './auth.js';
import { ConfigService } from './config.js';
import { DATABASE, DatabaseModule } from './database.js';
import { UsersModule, UsersService } from './users.js';

export interface PostRow { id: number; authorId: number; title: string }

@Injectable()
export class PostsService {
  private readonly db = inject(DATABASE);
  private readonly users = inject(UsersService);
  private readonly config = inject(ConfigService);
  private readonly listeners = new Set<(post: PostRow) => void>();

  /** Calls `listener` with each new post; returns the function that stops it. */
  onCreated(listener: (post: PostRow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  page(limit: number): PostRow[] {
    return this.db.all<PostRow>('posts').slice(0, Math.min(limit, this.config.get('maxPageSize')));
  }
  create(authorId: number, title: string): PostRow {
    if (this.users.find(authorId) === undefined) throw new UnprocessableEntityException(`author ${authorId} does not exist`);
    const post = this.db.insert('posts', { authorId, title });
    for (const listener of this.listeners) listener(post);
    return post;
  }
}

@Controller('/posts')
@UseGuards(ApiKeyGuard)
export class PostsController {
  private readonly posts = inject(PostsService);
  private readonly user = inject(CurrentUser);

  @Get()
  list(ctx: Ctx) {
    const limit = Number(ctx.query.limit ?? 10);
    return this.posts.page(Number.isInteger(limit) && limit > 0 ? limit : 10);
  }

  /**
   * New posts as Server-Sent Events. The global TimingInterceptor runs around this route too:
   * the stream's head is sent before the handler returns, so its late header is skipped and the
   * stream stays open.
   */
  @Get('/live')
  live(ctx: Ctx) {
    const stream = ctx.sse();
    stream.onClose(this.posts.onCreated((post) => stream.send({ event: 'post', data: post })));
    return stream;
  }

  @Post('/', { status: 201 })
  async create(ctx: Ctx) {
    const authorId = this.user.id;
    if (authorId === null) throw new UnprocessableEntityException('send x-user-id');
    const { title } = await ctx.json<{ title?: unknown }>();
    if (typeof title !== 'string' || title === '') throw new UnprocessableEntityException('title is required');
    return this.posts.create(authorId, title);
  }
}

@Module({ imports: [DatabaseModule, UsersModule], controllers: [PostsController], providers: [PostsService, CurrentUser] })
export class PostsModule {}
